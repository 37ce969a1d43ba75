/**
 * The Clef decision family: the prompt (text and data parts; images, and for
 * Clef Omni audio and video) is the `state` Clef reads, and the fields of the
 * requested output schema are its `questions`. The answers come back as
 * `response.output`, with Cloudflare's probabilities and confidences in
 * `response.custom` (see `ClefCustom`).
 *
 * @module
 */
import type { GenerateRequest, ModelInfo } from "genkit/model";
import { isPlainObject, shapeOf } from "../client/answer.ts";
import { base64 } from "../base64.ts";
import { invalidArgument as invalid } from "../errors.ts";
import { displayLabel } from "../labels.ts";
import {
  declaredType,
  mediaBytes,
  type MediaKind,
  type PromptMedia,
  sniffImageType,
} from "../media.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { answer, checkConfig, unexpected } from "../task_model.ts";
import { optionsSchema } from "../wire_options.ts";
import { CLEF_MODELS, type ClefMedia, type ClefModelSpec, clefSpec, knownClef } from "./catalog.ts";
import { type ClefCustom, clefOptions } from "./config.ts";
import { outputOf, questionsOf } from "./questions.ts";

const info = (spec: ClefModelSpec): ModelInfo => ({
  label: displayLabel(spec.label),
  stage: spec.deprecated ? "deprecated" : spec.beta ? "unstable" : "stable",
  supports: {
    multiturn: false,
    systemRole: false,
    media: spec.media.length > 0,
    tools: false,
    toolChoice: false,
    output: ["json"],
    // Clef answers the output schema itself: Genkit must not add schema instructions to the state.
    constrained: "all",
  },
});
const schema = (spec: ClefModelSpec) => optionsSchema(clefOptions(spec.id));

/** The published input field of each kind of media, with its `maxItems` (clef-omni.json). */
const FIELDS: Readonly<Record<ClefMedia, { field: string; max: number; noun: string }>> = {
  image: { field: "images", max: 4, noun: "images" },
  audio: { field: "audio", max: 4, noun: "audio clips" },
  video: { field: "videos", max: 2, noun: "videos" },
};
/** Bytes per item, from Cloudflare's Clef documentation: 4 MiB images, 8 MiB audio, 16 MiB videos. */
const MAX_BYTES: Readonly<Record<ClefMedia, number>> = {
  image: 4 * 1024 * 1024,
  audio: 8 * 1024 * 1024,
  video: 16 * 1024 * 1024,
};
/** The image types Clef reads (its documentation: PNG, JPEG and WebP). */
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"];

/** The state and media of a Clef prompt. */
interface ClefPrompt {
  state: unknown;
  media: Record<ClefMedia, PromptMedia[]>;
}

/** What media the model takes, for messages. */
function takes(spec: ClefModelSpec): string {
  const nouns = spec.media.map((k) => FIELDS[k].noun);
  return nouns.length === 0 ? "no media" : nouns.join(", ").replace(/, ([^,]*)$/, " and $1");
}

/** The kind of a media part: its declared type's, or an image's when the model reads only images. */
function kindOf(spec: ClefModelSpec, media: PromptMedia, i: number): ClefMedia {
  const type = declaredType(media);
  const kind = type?.split("/")[0];
  if (kind === "image" || kind === "audio" || kind === "video") {
    if (!spec.media.includes(kind)) {
      const omni = kind === "image" ? "" : " Use @cf/cloudflare/clef-omni for audio and video.";
      throw invalid(
        `${spec.id} reads ${takes(spec)}; content[${i}] is ${kind} (${type}): remove it.${omni}`,
      );
    }
    return kind;
  }
  if (type === undefined && spec.media.length === 1) return spec.media[0];
  throw invalid(
    `${spec.id} reads ${takes(spec)}; content[${i}] is ${type ?? "of no declared type"}: give ` +
      "the media part a contentType of one of those kinds, or remove it.",
  );
}

/**
 * The state (the text and data parts: one part's value alone, several as an
 * array in order) and the media of the one user message.
 */
function clefPrompt(spec: ClefModelSpec, request: GenerateRequest): ClefPrompt {
  const values: unknown[] = [];
  const media: ClefPrompt["media"] = { image: [], audio: [], video: [] };
  request.messages[0].content.forEach((p, i) => {
    if (typeof p.text === "string") {
      if (p.text.trim() !== "") values.push(p.text);
    } else if (p.data !== undefined) {
      values.push(p.data);
    } else if (p.media) {
      const m = {
        url: p.media.url,
        ...(p.media.contentType ? { contentType: p.media.contentType } : {}),
      };
      media[kindOf(spec, m, i)].push(m);
    } else {
      const kind = Object.keys(p).find((k) => k !== "metadata") ?? "empty";
      throw invalid(
        `${spec.id} cannot take the ${kind} part at content[${i}]: it reads text, data and ${
          takes(spec)
        }.`,
      );
    }
  });
  if (values.length === 0) {
    throw invalid(
      `${spec.id} needs a state to decide about: the prompt has no text or data part. Add text ` +
        "(or a data part) saying what the questions are about.",
    );
  }
  for (const kind of spec.media) {
    const { max, noun } = FIELDS[kind];
    if (media[kind].length > max) {
      throw invalid(
        `${spec.id} takes at most ${max} ${noun}; the prompt has ${media[kind].length}.`,
      );
    }
  }
  return { state: values.length === 1 ? values[0] : values, media };
}

/** A video as a `data:` URL, checked: Clef takes no remote URLs, and videos are not downloaded. */
function videoUrl(spec: ClefModelSpec, m: PromptMedia): string {
  const comma = m.url.indexOf(",");
  const header = comma < 0 ? "" : m.url.slice(0, comma);
  if (!/^data:video\/[^;,]+(;[^;,]*)*;base64$/i.test(header)) {
    throw invalid(
      `${spec.id} takes videos as base64 data:video/… URLs; got ${
        JSON.stringify(m.url.slice(0, 30))
      }…. ` +
        "Download the video and pass it as a data: URL.",
    );
  }
  const bytes = Math.floor((m.url.length - comma - 1) * 3 / 4);
  if (bytes > MAX_BYTES.video) {
    throw invalid(
      `A video for ${spec.id} is about ${bytes} bytes; the limit is ${MAX_BYTES.video}.`,
    );
  }
  return m.url;
}

/** The published media fields of the request: images and audio as `{ content_type, base64 }`. */
async function mediaFields(
  spec: ClefModelSpec,
  media: ClefPrompt["media"],
  context: FamilyContext,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const kind of ["image", "audio"] as const satisfies readonly MediaKind[]) {
    if (media[kind].length === 0) continue;
    const all = await mediaBytes(spec.id, media[kind], kind, context.downloads, signal);
    out[FIELDS[kind].field] = all.map(({ bytes, contentType }) => {
      const type = kind === "image" ? sniffImageType(bytes) ?? contentType : contentType;
      if (kind === "image" && !IMAGE_TYPES.includes(type)) {
        throw invalid(`${spec.id} reads PNG, JPEG and WebP images; got ${type}.`);
      }
      if (bytes.length > MAX_BYTES[kind]) {
        throw invalid(
          `The ${kind} for ${spec.id} is ${bytes.length} bytes; the limit is ${MAX_BYTES[kind]}.`,
        );
      }
      return { content_type: type, base64: base64(bytes) };
    });
  }
  if (media.video.length > 0) out.videos = media.video.map((m) => videoUrl(spec, m));
  return out;
}

/** Genkit usage from Clef's `usage`. */
function usageOf(usage: unknown): Record<string, number> {
  const u = isPlainObject(usage) ? usage : {};
  const out: Record<string, number> = {};
  if (typeof u.input_tokens === "number") out.inputTokens = u.input_tokens;
  if (typeof u.output_tokens === "number") out.outputTokens = u.output_tokens;
  if (out.inputTokens !== undefined && out.outputTokens !== undefined) {
    out.totalTokens = out.inputTokens + out.outputTokens;
  }
  return out;
}

function clefRunner(spec: ClefModelSpec, context: FamilyContext): ModelRunner {
  return async (request, { abortSignal: signal, sendChunk, call }) => {
    checkConfig(spec.id, clefOptions(spec.id), request.config);
    const { questions, asked } = questionsOf(spec.id, request.output?.schema);
    const prompt = clefPrompt(spec, request);
    const media = await mediaFields(spec, prompt.media, context, signal);
    const body = { model: spec.selector, state: prompt.state, questions, ...media };
    const outcome = await context.client.call(spec.id, { body: { json: body } }, call);
    if (outcome.kind !== "json") throw unexpected(spec.id, "bytes", "answers");
    const result = outcome.result;
    if (!isPlainObject(result)) throw unexpected(spec.id, shapeOf(result), "an object of answers");
    const { output, answers } = outputOf(spec.id, asked, result.answers);
    const custom: ClefCustom = {
      ...(typeof result.model === "string" ? { model: result.model } : {}),
      answers,
    };
    const text = JSON.stringify(output);
    sendChunk({ content: [{ text }] });
    return answer([{ text }], { usage: usageOf(result.usage), custom });
  };
}

/**
 * The Clef family: `@cf/cloudflare/clef`, `clef-flash` and `clef-omni`,
 * claimed by id (Cloudflare files them under "Text Generation", which is the
 * text family's task, so it names no task of its own).
 */
export const clefFamily: TaskFamily<ClefModelSpec> = modelFamily<ClefModelSpec>({
  name: "clef",
  noun: "a Clef decision model",
  suggestion:
    "Use @cf/cloudflare/clef, @cf/cloudflare/clef-flash or @cf/cloudflare/clef-omni (audio and video).",
  tasks: [],
  catalog: CLEF_MODELS,
  known: knownClef,
  spec: (id) => clefSpec(id),
  info,
  schema,
  runner: clefRunner,
});
