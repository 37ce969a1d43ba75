/**
 * The image-to-text task: LLaVA 1.5 (the raw image, or `{ image, prompt?,
 * max_tokens?, … }` -> `{ description }`) and Moondream 3.1 (`{ task,
 * image, question?, … }` -> `{ answer | caption | points | objects,
 * reasoning, finish_reason, metrics }`, streamed unless `stream: false`),
 * their schemas checked as Workers AI checks them, and answers that describe
 * the image's type, size and bytes and repeat the question.
 *
 * @module
 */

import { CAPTION_MODELS, type CaptionModelSpec, knownCaptioner } from "../caption/catalog.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { base64Bytes, byteArray, type ImageFacts, imageFacts } from "./media_input.ts";
import { modelObject, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { countWords, isObject, prng, tokenize, typeName } from "./util.ts";
import { jsonInput, refuseExtraKeys } from "./validate.ts";

const SEARCH_TASK: SearchTask = {
  name: "Image-to-Text",
  description: "Image to text models output a text from a given image, such as a caption or " +
    "the text it shows.",
};

const COLOURS = ["blue", "green", "red", "golden", "grey", "white", "dark", "orange"];

/** A one-sentence description of an image, from its facts. */
function sentence(image: ImageFacts): string {
  return `A ${image.width}x${image.height} ${image.kind.toUpperCase()} picture, mostly ${
    COLOURS[image.hash % COLOURS.length]
  }.`;
}

/** The first `max` tokens of a text, and whether it was cut. */
function cut(text: string, max: number): { text: string; cut: boolean } {
  const tokens = tokenize(text);
  if (tokens.length <= max) return { text, cut: false };
  return { text: tokens.slice(0, max).join("").trimEnd(), cut: true };
}

/** Checks an optional number property: its type, and its range where the schema gives one. */
function numberAt(
  body: Record<string, unknown>,
  key: string,
  { int = false, min, max }: { int?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || (int && !Number.isInteger(v))) {
    throw badInput(
      `Type mismatch of '/${key}', '${typeName(v)}' not in '${int ? "integer" : "number"}'`,
    );
  }
  if (min !== undefined && v < min) {
    throw badInput(`Value ${v} at '/${key}' is less than minimum ${min}`);
  }
  if (max !== undefined && v > max) {
    throw badInput(`Value ${v} at '/${key}' is greater than maximum ${max}`);
  }
  return v;
}

function stringAt(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v !== undefined && typeof v !== "string") {
    throw badInput(`Type mismatch of '/${key}', '${typeName(v)}' not in 'string'`);
  }
  return v;
}

function booleanAt(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v !== undefined && typeof v !== "boolean") {
    throw badInput(`Type mismatch of '/${key}', '${typeName(v)}' not in 'boolean'`);
  }
  return v;
}

function enumAt(body: Record<string, unknown>, key: string, values: string[]): string | undefined {
  const v = body[key];
  if (v !== undefined && (typeof v !== "string" || !values.includes(v))) {
    throw badInput(
      `Value at '/${key}' is not one of the enum values ${values.map((x) => `'${x}'`).join(", ")}`,
    );
  }
  return v as string | undefined;
}

const LLAVA_KEYS = [
  "image",
  "prompt",
  "raw",
  "max_tokens",
  "temperature",
  "top_p",
  "top_k",
  "seed",
  "repetition_penalty",
  "frequency_penalty",
  "presence_penalty",
];

/** LLaVA: the raw image, or a JSON object with `image` (bytes, or a binary string). */
function llava(ctx: TaskContext): unknown {
  if (ctx.body.kind === "bytes") return { description: sentence(imageFacts(ctx.body.bytes)) };
  const body = jsonInput(ctx.body);
  if (!isObject(body)) {
    throw badInput("oneOf at '/' not met, 0 matches: Type mismatch of '/', not in 'object'");
  }
  refuseExtraKeys(body, LLAVA_KEYS);
  if (body.image === undefined) throw badInput("required properties at '/' are 'image'");
  const image = typeof body.image === "string"
    ? Uint8Array.from(body.image, (c) => c.charCodeAt(0) & 0xff)
    : byteArray(body.image, "/image");
  const prompt = stringAt(body, "prompt");
  booleanAt(body, "raw");
  const max = numberAt(body, "max_tokens", { int: true }) ?? 512;
  for (const k of LLAVA_KEYS.slice(4)) numberAt(body, k);
  const about = sentence(imageFacts(image));
  const description = prompt ? `You asked: ${prompt.trim()} ${about}` : about;
  return { description: cut(description, max).text };
}

const MOONDREAM_TASKS = ["query", "caption", "point", "detect"];
const DATA_URI = /^data:image\/(?:png|jpeg|webp|gif);base64,(.*)$/s;

/** Moondream's image: a data URI (decoded) or a public https URL (not fetched). */
function moondreamImage(value: string | undefined, needed: boolean): ImageFacts | undefined {
  if (value === undefined) {
    if (needed) throw badInput("the image is required for the caption, point and detect tasks");
    return undefined;
  }
  const data = DATA_URI.exec(value);
  if (data) return imageFacts(base64Bytes(data[1], "/image"));
  if (/^https:\/\//i.test(value)) return { kind: "remote", width: 640, height: 480, hash: 7 };
  throw badInput("String at '/image' is neither a public HTTPS URL nor a base64 data URI");
}

function metrics(question: string, output: string) {
  const input = countWords(question) + 729;
  const out = countWords(output);
  return {
    input_tokens: input,
    output_tokens: out,
    prefill_time_ms: 12.5,
    decode_time_ms: 4 * out,
    ttft_ms: 15,
  };
}

/** Moondream's answer, or its stream (`{answer|caption: delta}` events, then the metrics). */
function moondream(ctx: TaskContext): TaskAnswer {
  const body = jsonInput(ctx.body);
  if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
  refuseExtraKeys(body, [
    "task",
    "image",
    "question",
    "caption_length",
    "target",
    "reasoning",
    "temperature",
    "top_p",
    "max_tokens",
    "max_objects",
    "stream",
  ]);
  const task = enumAt(body, "task", MOONDREAM_TASKS) ?? "query";
  const question = stringAt(body, "question") ?? "What's in this image?";
  const length = enumAt(body, "caption_length", ["short", "normal", "long"]) ?? "normal";
  const target = stringAt(body, "target") ?? "person";
  const reasoning = booleanAt(body, "reasoning") ?? true;
  numberAt(body, "temperature", { min: 0, max: 2 });
  numberAt(body, "top_p", { min: 0, max: 1 });
  // The published range and default (moondream3.1-9B-A2B.json).
  const maxTokens = numberAt(body, "max_tokens", { int: true, min: 1, max: 28672 }) ?? 8192;
  const maxObjects = numberAt(body, "max_objects", { int: true, min: 1, max: 500 }) ?? 150;
  const stream = booleanAt(body, "stream") ?? true;
  const image = moondreamImage(stringAt(body, "image"), task !== "query");

  const result: Record<string, unknown> = {
    answer: null,
    caption: null,
    points: null,
    objects: null,
    reasoning: null,
  };
  if (task === "point" || task === "detect") {
    const rand = prng(image!.hash);
    const n = Math.min(maxObjects, 1 + (image!.hash % 3));
    if (task === "point") {
      result.points = Array.from({ length: n }, () => ({ x: rand(), y: rand() }));
    } else {
      result.objects = Array.from({ length: n }, () => {
        const [x, y] = [rand() * 0.5, rand() * 0.5];
        return { x_min: x, y_min: y, x_max: x + 0.3, y_max: y + 0.3 };
      });
    }
    return { result: { ...result, finish_reason: "stop", metrics: metrics(target, "") } };
  }
  const about = image ? sentence(image) : "There is no image to look at.";
  const full = task === "caption"
    ? [about, "It is an emulated caption.", "Nothing else is in view."]
      .slice(0, length === "short" ? 1 : length === "normal" ? 2 : 3).join(" ")
    : `${about} That answers: ${question.trim()}`;
  const out = cut(full, maxTokens);
  const key = task === "caption" ? "caption" : "answer";
  const finish = out.cut ? "length" : "stop";
  const usage = metrics(task === "query" ? question : "", out.text);
  if (task === "query" && reasoning) {
    result.reasoning = {
      text: `Looking at the image to answer "${question.trim()}".`,
      grounding: [],
    };
  }
  if (stream && !ctx.jsonForStream) {
    // Moondream's stream format is not documented: deltas of the text, then the finish.
    return {
      events: [
        ...tokenize(out.text).map((t) => ({ [key]: t })),
        { finish_reason: finish, metrics: usage },
      ],
    };
  }
  return { result: { ...result, [key]: out.text, finish_reason: finish, metrics: usage } };
}

function answerFor(spec: CaptionModelSpec, ctx: TaskContext): TaskAnswer {
  return spec.wire === "moondream" ? moondream(ctx) : { result: llava(ctx) };
}

/** The image-to-text task. */
export const captionTask: EmulatorTask = {
  name: "caption",
  handles: (model, op) => op === "run" && knownCaptioner(model) !== undefined,
  answer(ctx: TaskContext): TaskAnswer {
    const spec = knownCaptioner(ctx.model);
    if (!spec) throw noSuchModel(ctx.model);
    return answerFor(spec, ctx);
  },
  models: () =>
    CAPTION_MODELS.map((m) =>
      m.wire === "moondream"
        ? modelObject(m.id, SEARCH_TASK, "A mixture-of-experts vision language model.", [
          ["vision", "true"],
        ])
        : modelObject(m.id, SEARCH_TASK, "An open multimodal chatbot built on LLaMA/Vicuna.", [
          ["beta", "true"],
        ])
    ),
};
