/**
 * The object-detection task family: one image in, the objects found back
 * best first as a data part (so `response.output` is the array), with a text
 * part counting them by label.
 *
 * @module
 */
import { shapeOf } from "../client/answer.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import { mediaBytes } from "../media.ts";
import { answer, checkConfig, taskModelInfo, taskPrompt, unexpected } from "../task_model.ts";
import { optionsSchema } from "../wire_options.ts";
import { DETECTION_MODELS, type DetectModelSpec, detectorSpec, knownDetector } from "./catalog.ts";
import { DETECT_OPTIONS, type DetectedObject } from "./config.ts";

const info = (spec: DetectModelSpec) =>
  taskModelInfo(spec.label, true, ["text", "json"], spec.beta);
const schema = () => optionsSchema(DETECT_OPTIONS);
const CORNERS = ["xmin", "ymin", "xmax", "ymax"] as const;

/** The objects of a model's result, best first. */
function objects(model: string, result: unknown): DetectedObject[] {
  if (!Array.isArray(result)) throw unexpected(model, shapeOf(result), "an array of objects");
  const out = result.map((item) => {
    const { label, score, box } = (item ?? {}) as Record<string, unknown>;
    const b = (box ?? {}) as Record<string, unknown>;
    if (
      typeof label !== "string" || typeof score !== "number" ||
      CORNERS.some((k) => typeof b[k] !== "number")
    ) {
      throw unexpected(model, "an object without label, score and box", "detected objects");
    }
    const corners = Object.fromEntries(CORNERS.map((k) => [k, b[k]]));
    return { label, score, box: corners as DetectedObject["box"] };
  });
  // DETR's objects come in the model's query order, not by score (its schema promises no order).
  return out.sort((a, b) => b.score - a.score);
}

/** "2 × car, 1 × person": the labels counted, in the order of their best object. */
function summary(found: DetectedObject[]): string {
  if (found.length === 0) return "no objects";
  const counts = new Map<string, number>();
  for (const o of found) counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${n} × ${label}`).join(", ");
}

function detectorRunner(spec: DetectModelSpec, context: FamilyContext): ModelRunner {
  return async (request, { abortSignal: signal, call }) => {
    checkConfig(spec.id, DETECT_OPTIONS, request.config);
    const prompt = taskPrompt(spec.id, request, {
      text: "none",
      media: "image",
      takes: "one image",
    });
    const [media] = await mediaBytes(spec.id, [prompt.media!], "image", context.downloads, signal);
    // DETR takes the raw image over REST (its most compact input); a binding takes `{ image: number[] }`.
    const outcome = await context.client.call(spec.id, {
      body: { bytes: media.bytes, contentType: media.contentType },
      bindingInputs: { image: Array.from(media.bytes) },
      answer: "list",
    }, call);
    if (outcome.kind !== "json") throw unexpected(spec.id, "bytes", "an array of objects");
    const found = objects(spec.id, outcome.result);
    return answer([{ text: summary(found) }, { data: found }]);
  };
}

/** The object-detection family: every `Object Detection` model. */
export const detectFamily: TaskFamily<DetectModelSpec> = modelFamily<DetectModelSpec>({
  name: "detect",
  noun: "an object-detection model",
  suggestion: "Use @cf/facebook/detr-resnet-50.",
  tasks: ["Object Detection"],
  catalog: DETECTION_MODELS,
  known: knownDetector,
  spec: (id) => detectorSpec(id),
  info,
  schema,
  runner: detectorRunner,
});
