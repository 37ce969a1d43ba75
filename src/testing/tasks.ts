/**
 * The one list of emulated tasks the handler dispatches over (their
 * contract is task_contract.ts).
 *
 * Adding a task is one module exporting an {@linkcode EmulatorTask} and one
 * line in {@linkcode TASKS}: the handler, the model search and the recording
 * need no change.
 *
 * @module
 */

import { captionTask } from "./caption.ts";
import { classifyTask } from "./classify.ts";
import { clefTask } from "./clef.ts";
import { detectTask } from "./detect.ts";
import { embedTask } from "./embed.ts";
import { imageTask } from "./image.ts";
import { rerankTask } from "./rerank.ts";
import { speechTask } from "./speech.ts";
import { textTask } from "./text.ts";
import { translateTask } from "./translate.ts";
import { turnTask } from "./turn.ts";
import { transcribeTask } from "./transcribe.ts";

import type { EmulatorTask, ModelOp } from "./task_contract.ts";

/**
 * Every task the emulator serves. A request goes to the first task that
 * handles its model and endpoint; none is a 5007 "No such model". The model
 * search lists the tasks' models in this order.
 */
export const TASKS: readonly EmulatorTask[] = [
  // Before text: Clef's published task is "Text Generation", but its body is its own.
  clefTask,
  textTask,
  embedTask,
  rerankTask,
  imageTask,
  transcribeTask,
  speechTask,
  translateTask,
  classifyTask,
  detectTask,
  captionTask,
  turnTask,
];

/** The task serving a model through an endpoint, if any. */
export function taskFor(model: string, op: ModelOp): EmulatorTask | undefined {
  return TASKS.find((t) => t.handles(model, op));
}
