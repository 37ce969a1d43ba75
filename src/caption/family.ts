/**
 * The image-to-text task family: one image and an optional question in, the
 * description (LLaVA) or the answer or caption (Moondream, with its
 * reasoning) back as text; Moondream's point and detect tasks answer the
 * points or boxes of what the prompt names as a data part (so
 * `response.output` is the array), with a text part counting them.
 *
 * @module
 */
import { shapeOf } from "../client/answer.ts";
import type { Part } from "genkit";
import type { GenerateRequest, GenerateResponseData } from "genkit/model";
import type { WireRequest } from "../client/types.ts";
import { invalidArgument as invalid } from "../errors.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import { dataUrl } from "../base64.ts";
import { type MediaBytes, mediaBytes } from "../media.ts";
import {
  answer,
  checkConfig,
  type CheckedConfig,
  taskModelInfo,
  taskPrompt,
  unexpected,
} from "../task_model.ts";
import { optionsSchema } from "../wire_options.ts";
import { CAPTION_MODELS, captionerSpec, type CaptionModelSpec, knownCaptioner } from "./catalog.ts";
import { captionOptions, defaultTarget, type LocatedObject, type LocatedPoint } from "./config.ts";

// Moondream's point and detect tasks answer a data part; LLaVA answers text only.
const info = (spec: CaptionModelSpec) =>
  taskModelInfo(
    spec.label,
    true,
    spec.wire === "moondream" ? ["text", "json"] : ["text"],
    spec.beta,
  );
const schema = (spec: CaptionModelSpec) => optionsSchema(captionOptions(spec));

/** LLaVA: the raw image when there is nothing else to send, else `{ image: number[], … }`. */
function llavaRequest(text: string, image: MediaBytes, config: CheckedConfig): WireRequest {
  const json = {
    image: Array.from(image.bytes),
    ...(text ? { prompt: text } : {}),
    ...config.wire,
  };
  if (text === "" && Object.keys(config.wire).length === 0) {
    // The raw image is LLaVA's most compact input, but it carries no prompt or options.
    return { body: { bytes: image.bytes, contentType: image.contentType }, bindingInputs: json };
  }
  return { body: { json } };
}

/** LLaVA's answer: `description`. */
function llavaAnswer(spec: CaptionModelSpec, result: unknown): GenerateResponseData {
  const description = (result as { description?: unknown } | null)?.description;
  if (typeof description !== "string") {
    throw unexpected(spec.id, `description of ${shapeOf(description)}`, "a string");
  }
  return answer([{ text: description }]);
}

/** Moondream's tasks. */
type MoondreamTask = "query" | "caption" | "point" | "detect";

/** The options that apply to some of Moondream's tasks only. */
const TASK_OPTIONS: Readonly<Record<string, readonly MoondreamTask[]>> = {
  captionLength: ["caption"],
  reasoning: ["query"],
  maxObjects: ["point", "detect"],
};

/**
 * Moondream's task: the one asked for, else `query` for a prompt with text
 * and `caption` for one without. Refuses text on a caption, a JSON output
 * where the task answers text, and options the task does not use.
 */
function moondreamTask(
  spec: CaptionModelSpec,
  request: GenerateRequest,
  text: string,
  config: CheckedConfig,
): MoondreamTask {
  const task = (config.values.task as MoondreamTask | undefined) ?? (text ? "query" : "caption");
  if (task === "caption" && text) {
    throw invalid(
      `${spec.id} writes a caption from the image alone: remove the text, or ask it as a ` +
        `question (task "query").`,
    );
  }
  for (const [key, tasks] of Object.entries(TASK_OPTIONS)) {
    if (config.values[key] !== undefined && !tasks.includes(task)) {
      throw invalid(
        `config.${key} applies to ${spec.id}'s ${tasks.join(" and ")} task${
          tasks.length > 1 ? "s" : ""
        }, and this request is a ${task} (${
          task === "query" ? "the prompt has a question" : `task "${task}"`
        }): remove ${key}, or set task to ${tasks.map((t) => `"${t}"`).join(" or ")}.`,
      );
    }
  }
  const located = task === "point" || task === "detect";
  if (request.output?.format === "json" && !located) {
    throw invalid(
      `${spec.id} answers its ${task} task with text: JSON output comes from its point and ` +
        "detect tasks only. Remove the output format, or set task.",
    );
  }
  return task;
}

/** Moondream's body: the task, the image, the prompt's text as its question or target. */
function moondreamBody(
  task: MoondreamTask,
  text: string,
  image: MediaBytes,
  config: CheckedConfig,
): unknown {
  const prompt = !text ? {} : task === "query" ? { question: text } : { target: text };
  return {
    // Moondream takes an image as a data URI (or a public URL, which the plugin downloads itself).
    image: dataUrl(image.bytes, image.contentType),
    ...prompt,
    ...config.wire,
    task,
    // Moondream streams unless told not to (its schema's default).
    stream: false,
  };
}

/** Moondream's token counts, as Genkit usage. */
function moondreamUsage(r: Record<string, unknown>): Record<string, number> {
  const metrics = (r.metrics ?? {}) as { input_tokens?: unknown; output_tokens?: unknown };
  const usage: Record<string, number> = {};
  if (typeof metrics.input_tokens === "number") usage.inputTokens = metrics.input_tokens;
  if (typeof metrics.output_tokens === "number") usage.outputTokens = metrics.output_tokens;
  if (usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  }
  return usage;
}

/** "2 × cat", or "no cat found". */
function located(label: string, count: number): string {
  return count === 0 ? `no ${label} found` : `${count} × ${label}`;
}

/** The points or boxes of Moondream's point or detect answer, as a data part. */
function moondreamLocated(
  spec: CaptionModelSpec,
  task: "point" | "detect",
  label: string,
  r: Record<string, unknown>,
): Part[] {
  const num = (o: Record<string, unknown>, keys: readonly string[]) =>
    keys.every((k) => typeof o[k] === "number" && Number.isFinite(o[k]));
  const field = task === "point" ? "points" : "objects";
  const items = r[field];
  const keys = task === "point" ? ["x", "y"] : ["x_min", "y_min", "x_max", "y_max"];
  if (
    !Array.isArray(items) || !items.every((o) => num((o ?? {}) as Record<string, unknown>, keys))
  ) {
    throw unexpected(spec.id, `${field} of ${shapeOf(items)}`, `an array of ${keys.join(", ")}`);
  }
  const found: (LocatedPoint | LocatedObject)[] = items.map((o: Record<string, number>) =>
    task === "point"
      ? { label, x: o.x, y: o.y }
      : { label, box: { xmin: o.x_min, ymin: o.y_min, xmax: o.x_max, ymax: o.y_max } }
  );
  return [{ text: located(label, found.length) }, { data: found }];
}

/** Moondream's answer: `answer`, `caption`, `points` or `objects`, its reasoning, its token counts. */
function moondreamAnswer(
  spec: CaptionModelSpec,
  task: MoondreamTask,
  target: string,
  result: unknown,
): GenerateResponseData {
  const r = (result ?? {}) as Record<string, unknown>;
  const extra = {
    finishReason: r.finish_reason === "length" ? "length" as const : "stop" as const,
    usage: moondreamUsage(r),
    custom: r,
  };
  if (task === "point" || task === "detect") {
    return answer(moondreamLocated(spec, task, target, r), extra);
  }
  const out = task === "caption" ? r.caption : r.answer;
  if (typeof out !== "string") {
    throw unexpected(
      spec.id,
      `a ${task === "caption" ? "caption" : "answer"} of ${shapeOf(out)}`,
      "a string",
    );
  }
  const content: Part[] = [];
  const reasoning = (r.reasoning as { text?: unknown } | null)?.text;
  if (typeof reasoning === "string" && reasoning !== "") content.push({ reasoning });
  content.push({ text: out });
  return answer(content, extra);
}

/** Keys another catalog model takes: the reason a model refuses them, naming that model. */
function notesFor(spec: CaptionModelSpec): Record<string, string> {
  const own = captionOptions(spec).map((o) => o.key);
  const notes: Record<string, string> = {};
  for (const m of CAPTION_MODELS) {
    for (const o of captionOptions(m)) {
      if (!own.includes(o.key)) {
        notes[o.key] = `it takes ${own.join(", ")}; ${o.key} is taken by ${m.id}`;
      }
    }
  }
  return notes;
}

function captionerRunner(spec: CaptionModelSpec, context: FamilyContext): ModelRunner {
  const options = captionOptions(spec);
  const notes = notesFor(spec);
  return async (request, { abortSignal: signal, call }) => {
    const config = checkConfig(spec.id, options, request.config, { notes });
    const prompt = taskPrompt(spec.id, request, {
      text: "optional",
      media: "image",
      takes: "one image and, optionally, a question about it",
    });
    const task = spec.wire === "moondream"
      ? moondreamTask(spec, request, prompt.text, config)
      : undefined;
    const [image] = await mediaBytes(spec.id, [prompt.media!], "image", context.downloads, signal);
    if (!task) {
      const outcome = await context.client.call(
        spec.id,
        llavaRequest(prompt.text, image, config),
        call,
      );
      if (outcome.kind !== "json") throw unexpected(spec.id, "bytes", "a description");
      return llavaAnswer(spec, outcome.result);
    }
    const body = moondreamBody(task, prompt.text, image, config);
    const result = await context.client.run(spec.id, body, call);
    return moondreamAnswer(spec, task, prompt.text || defaultTarget(spec), result);
  };
}

/** The image-to-text family: every `Image-to-Text` model. */
export const captionFamily: TaskFamily<CaptionModelSpec> = modelFamily<CaptionModelSpec>({
  name: "caption",
  noun: "an image-to-text model",
  suggestion: "Use @cf/llava-hf/llava-1.5-7b-hf or @cf/moondream/moondream3.1-9B-A2B.",
  tasks: ["Image-to-Text"],
  catalog: CAPTION_MODELS,
  known: knownCaptioner,
  spec: (id) => captionerSpec(id),
  info,
  schema,
  runner: captionerRunner,
});
