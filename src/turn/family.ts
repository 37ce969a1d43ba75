/**
 * The turn-detection task family: one audio part in, whether the speaker's
 * turn is complete back as a data part `{ isComplete, probability }` (so
 * `response.output` is it) with the text `complete` or `incomplete`.
 *
 * @module
 */
import { base64 } from "../base64.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import { mediaBytes } from "../media.ts";
import { answer, checkConfig, taskModelInfo, taskPrompt, unexpected } from "../task_model.ts";
import { optionsSchema } from "../wire_options.ts";
import { knownTurnDetector, TURN_MODELS, turnDetectorSpec, type TurnModelSpec } from "./catalog.ts";
import { type TurnDetection, turnOptions } from "./config.ts";

const info = (spec: TurnModelSpec) => taskModelInfo(spec.label, true, ["text", "json"], spec.beta);
const schema = (spec: TurnModelSpec) => optionsSchema(turnOptions(spec));

/** The verdict of a model's result. */
function verdict(model: string, result: unknown): TurnDetection {
  const r = (result ?? {}) as { is_complete?: unknown; probability?: unknown };
  if (typeof r.is_complete !== "boolean" || typeof r.probability !== "number") {
    throw unexpected(model, "no is_complete and probability", "{ is_complete, probability }");
  }
  return { isComplete: r.is_complete, probability: r.probability };
}

function turnDetectorRunner(spec: TurnModelSpec, context: FamilyContext): ModelRunner {
  return async (request, { abortSignal: signal, call }) => {
    const { wire } = checkConfig(spec.id, turnOptions(spec), request.config);
    const prompt = taskPrompt(spec.id, request, {
      text: "none",
      media: "audio",
      takes: "one audio part",
    });
    const [audio] = await mediaBytes(spec.id, [prompt.media!], "audio", context.downloads, signal);
    // Smart Turn takes base64 in JSON over REST; a binding takes the bytes as a stream with
    // their type, which spares the base64 (its schema's other form); a new stream each attempt.
    const { bytes, contentType } = audio;
    const outcome = await context.client.call(spec.id, {
      body: { json: { audio: base64(bytes), ...wire } },
      bindingInputs: () => ({ audio: { body: new Blob([bytes]).stream(), contentType }, ...wire }),
    }, call);
    if (outcome.kind !== "json") throw unexpected(spec.id, "bytes", "a turn verdict");
    const found = verdict(spec.id, outcome.result);
    return answer([{ text: found.isComplete ? "complete" : "incomplete" }, { data: found }]);
  };
}

/** The turn-detection family: every `Voice Activity Detection` model (Smart Turn). */
export const turnFamily: TaskFamily<TurnModelSpec> = modelFamily<TurnModelSpec>({
  name: "turn",
  noun: "a turn-detection model",
  suggestion: "Use @cf/pipecat-ai/smart-turn-v2.",
  // The task Smart Turn v2's model object names in Cloudflare's catalog.
  tasks: ["Voice Activity Detection"],
  catalog: TURN_MODELS,
  known: knownTurnDetector,
  spec: (id) => turnDetectorSpec(id),
  info,
  schema,
  runner: turnDetectorRunner,
});
