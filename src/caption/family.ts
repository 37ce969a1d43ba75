/**
 * The image-to-text task family: one image and an optional question in, the
 * description (LLaVA) or the answer or caption (Moondream, with its
 * reasoning) back as text.
 *
 * @module
 */
import { shapeOf } from "../client/answer.ts";
import type { Part } from "genkit";
import type { GenerateResponseData } from "genkit/model";
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
import { captionOptions } from "./config.ts";

const info = (spec: CaptionModelSpec) => taskModelInfo(spec.label, true, ["text"], spec.beta);
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

/** Refuses Moondream options that do not apply to the prompt: caption length with a question, reasoning without. */
function checkMoondream(spec: CaptionModelSpec, text: string, config: CheckedConfig): void {
  if (text && config.values.captionLength !== undefined) {
    throw invalid(
      `config.captionLength applies to ${spec.id}'s captions, which it writes for a prompt ` +
        "without a question: remove the text or captionLength.",
    );
  }
  if (!text && config.values.reasoning !== undefined) {
    throw invalid(
      `config.reasoning applies to ${spec.id}'s answers to a question: add the question to ` +
        "the prompt, or remove reasoning.",
    );
  }
}

/** Moondream: a question is its `query` task, no question its `caption` task. */
function moondreamBody(text: string, image: MediaBytes, config: CheckedConfig): unknown {
  return {
    task: text ? "query" : "caption",
    // Moondream takes an image as a data URI (or a public URL, which the plugin downloads itself).
    image: dataUrl(image.bytes, image.contentType),
    ...(text ? { question: text } : {}),
    ...config.wire,
    // Moondream streams unless told not to (its schema's default).
    stream: false,
  };
}

/** Moondream's answer: `answer` or `caption`, its reasoning, its token counts. */
function moondreamAnswer(spec: CaptionModelSpec, result: unknown): GenerateResponseData {
  const r = (result ?? {}) as Record<string, unknown>;
  const out = typeof r.answer === "string" ? r.answer : r.caption;
  if (typeof out !== "string") {
    throw unexpected(spec.id, `an answer of ${shapeOf(out)}`, "an answer or a caption string");
  }
  const content: Part[] = [];
  const reasoning = (r.reasoning as { text?: unknown } | null)?.text;
  if (typeof reasoning === "string" && reasoning !== "") content.push({ reasoning });
  content.push({ text: out });
  const metrics = (r.metrics ?? {}) as { input_tokens?: unknown; output_tokens?: unknown };
  const usage: Record<string, number> = {};
  if (typeof metrics.input_tokens === "number") usage.inputTokens = metrics.input_tokens;
  if (typeof metrics.output_tokens === "number") usage.outputTokens = metrics.output_tokens;
  if (usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  }
  return answer(content, {
    finishReason: r.finish_reason === "length" ? "length" : "stop",
    usage,
    custom: r,
  });
}

function captionerRunner(spec: CaptionModelSpec, context: FamilyContext): ModelRunner {
  const options = captionOptions(spec);
  return async (request, { abortSignal: signal }) => {
    const config = checkConfig(spec.id, options, request.config);
    const prompt = taskPrompt(spec.id, request, {
      text: "optional",
      media: "image",
      takes: "one image and, optionally, a question about it",
    });
    if (spec.wire === "moondream") checkMoondream(spec, prompt.text, config);
    const [image] = await mediaBytes(spec.id, [prompt.media!], "image", context.downloads, signal);
    if (spec.wire === "llava") {
      const outcome = await context.client.call(spec.id, llavaRequest(prompt.text, image, config), {
        signal,
      });
      if (outcome.kind !== "json") throw unexpected(spec.id, "bytes", "a description");
      return llavaAnswer(spec, outcome.result);
    }
    const body = moondreamBody(prompt.text, image, config);
    return moondreamAnswer(spec, await context.client.run(spec.id, body, { signal }));
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
