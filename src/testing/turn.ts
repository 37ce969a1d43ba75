/**
 * The turn-detection task: Smart Turn v2 (`{ audio: <base64>, dtype? }` ->
 * `{ is_complete, probability }`), its schema checked as Workers AI checks
 * it. The verdict depends on how the audio ends: a quiet last fifth
 * (the speaker stopped) is a complete turn, speech to the end is not.
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { amplitudes, base64Bytes } from "./media_input.ts";
import { modelObject, publishedAs, publishedIdsOf, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { isObject, typeName } from "./util.ts";
import { jsonInput, refuseExtraKeys } from "./validate.ts";

// Smart Turn v2's model object names this task (Cloudflare's catalog).
const SEARCH_TASK: SearchTask = {
  name: "Voice Activity Detection",
  description: "Detecting the presence or absence of human speech, used in speech processing.",
};

const DTYPES = ["uint8", "float32", "float64"];

/** How likely the turn is complete: 1 minus the loudness of the last fifth relative to the whole. */
function completion(audio: Uint8Array): number {
  const a = amplitudes(audio);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const whole = mean(a);
  if (a.length === 0 || whole === 0) return 0.99;
  const tail = mean(a.slice(Math.floor(a.length * 0.8)));
  const p = Math.min(0.99, Math.max(0.01, 1 - tail / whole));
  return Math.round(p * 1e4) / 1e4;
}

function verdict(body: unknown): unknown {
  if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
  refuseExtraKeys(body, ["audio", "dtype"]);
  if (body.audio === undefined) throw badInput("required properties at '/' are 'audio'");
  // Over REST the audio is base64; the `{ body, contentType }` form is a binding's stream.
  if (typeof body.audio !== "string") {
    throw badInput(`Type mismatch of '/audio', '${typeName(body.audio)}' not in 'string'`);
  }
  if (
    body.dtype !== undefined && (typeof body.dtype !== "string" || !DTYPES.includes(body.dtype))
  ) {
    throw badInput(
      `Value at '/dtype' is not one of the enum values ${DTYPES.map((d) => `'${d}'`).join(", ")}`,
    );
  }
  const probability = completion(base64Bytes(body.audio, "/audio"));
  return { is_complete: probability > 0.5, probability };
}

/** The turn-detection task. */
export const turnTask: EmulatorTask = {
  name: "turn",
  handles: (model, op) => op === "run" && publishedAs(model, SEARCH_TASK),
  answer(ctx: TaskContext): TaskAnswer {
    if (!publishedAs(ctx.model, SEARCH_TASK)) throw noSuchModel(ctx.model);
    return { result: verdict(jsonInput(ctx.body)) };
  },
  models: () =>
    publishedIdsOf(SEARCH_TASK).map((id) => {
      const facts = publishedModel(id);
      return modelObject(id, SEARCH_TASK, "An open, native audio turn-detection model.", [
        ...(facts?.asyncQueue ? [["async_queue", "true"]] as [string, string][] : []),
        ...(facts?.realtime ? [["realtime", "true"]] as [string, string][] : []),
      ]);
    }),
};
