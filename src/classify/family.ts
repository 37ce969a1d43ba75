/**
 * The classification task family: a sentence (DistilBERT) or an image
 * (ResNet-50) classified, the labels back best first as a data part (so
 * `response.output` is the array) with the top label as text.
 *
 * @module
 */
import { shapeOf } from "../client/answer.ts";
import type { GenerateRequest } from "genkit/model";
import type { WireRequest } from "../client/types.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import { mediaBytes } from "../media.ts";
import { answer, checkConfig, taskModelInfo, taskPrompt, unexpected } from "../task_model.ts";
import { optionsSchema } from "../wire_options.ts";
import {
  CLASSIFICATION_MODELS,
  classifierSpec,
  type ClassifyModelSpec,
  knownClassifier,
} from "./catalog.ts";
import { type Classification, CLASSIFY_OPTIONS } from "./config.ts";

const info = (spec: ClassifyModelSpec) =>
  taskModelInfo(spec.label, spec.input !== "text", ["text", "json"], spec.beta);
const schema = () => optionsSchema(CLASSIFY_OPTIONS);

/** The labels of a model's result, best first. */
function labels(model: string, result: unknown): Classification[] {
  if (!Array.isArray(result)) throw unexpected(model, shapeOf(result), "an array of labels");
  const out = result.map((item) => {
    const { label, score } = (item ?? {}) as Record<string, unknown>;
    if (typeof label !== "string" || typeof score !== "number") {
      throw unexpected(model, "a label without a string label and a number score", "labels");
    }
    return { label, score };
  });
  // DistilBERT answers NEGATIVE then POSITIVE whatever their scores: sort best first.
  return out.sort((a, b) => b.score - a.score);
}

/** Whether the request's user message has a media part. */
const hasMedia = (request: GenerateRequest) =>
  request.messages.some((m) => m.content.some((p) => p.media));

/** The wire request classifying the prompt's text or its image. */
async function wireRequest(
  spec: ClassifyModelSpec,
  request: GenerateRequest,
  context: FamilyContext,
  signal: AbortSignal,
): Promise<WireRequest> {
  const image = spec.input === "image" || (spec.input === "either" && hasMedia(request));
  if (!image) {
    const { text } = taskPrompt(spec.id, request, { text: "required", takes: "text to classify" });
    return { body: { json: { text } }, answer: "list" };
  }
  const prompt = taskPrompt(spec.id, request, { text: "none", media: "image", takes: "one image" });
  const [media] = await mediaBytes(spec.id, [prompt.media!], "image", context.downloads, signal);
  // Raw bytes are ResNet's most compact input over REST; a binding takes `{ image: number[] }`.
  return {
    body: { bytes: media.bytes, contentType: media.contentType },
    bindingInputs: { image: Array.from(media.bytes) },
    answer: "list",
  };
}

function classifierRunner(spec: ClassifyModelSpec, context: FamilyContext): ModelRunner {
  return async (request, { abortSignal: signal, call }) => {
    checkConfig(spec.id, CLASSIFY_OPTIONS, request.config);
    const wire = await wireRequest(spec, request, context, signal);
    const outcome = await context.client.call(spec.id, wire, call);
    if (outcome.kind !== "json") throw unexpected(spec.id, "bytes", "an array of labels");
    const ranked = labels(spec.id, outcome.result);
    return answer([{ text: ranked[0]?.label ?? "" }, { data: ranked }]);
  };
}

/** The classification family: every `Text Classification` and `Image Classification` model. */
export const classifyFamily: TaskFamily<ClassifyModelSpec> = modelFamily<ClassifyModelSpec>({
  name: "classify",
  noun: "a classification model",
  suggestion:
    "Use @cf/huggingface/distilbert-sst-2-int8 (text) or @cf/microsoft/resnet-50 (images).",
  tasks: ["Text Classification", "Image Classification"],
  catalog: CLASSIFICATION_MODELS,
  known: knownClassifier,
  spec: (id, live) => classifierSpec(id, live?.task),
  info,
  schema,
  runner: classifierRunner,
});
