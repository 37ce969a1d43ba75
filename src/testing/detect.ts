/**
 * The object-detection task: DETR ResNet-50 (the raw image or
 * `{ image: number[] }` -> `[{ score, label, box }]`, a bare array in
 * `result`, not ordered by score), objects chosen deterministically from
 * the image's bytes, their boxes inside its size.
 *
 * @module
 */

import { noSuchModel } from "./errors.ts";
import { imageFacts, rawOrArrayImage } from "./media_input.ts";
import { modelObject, publishedAs, publishedIdsOf, type SearchTask } from "./model_object.ts";
import { publishedModel } from "../definitions/mod.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { prng } from "./util.ts";

const SEARCH_TASK: SearchTask = {
  name: "Object Detection",
  description: "Object detection models find instances of objects in an image, each with a " +
    "label, a probability score and its surrounding box.",
};

const OBJECTS = ["person", "cat", "dog", "car", "bicycle", "chair", "cup", "bottle", "laptop"];

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** One to four objects, each of a label, a score and a box in the image's pixels. */
function detections(image: Uint8Array): unknown {
  const { width, height, hash } = imageFacts(image);
  const rand = prng(hash);
  const count = 1 + (hash % 4);
  return Array.from({ length: count }, () => {
    const x = rand() * width * 0.6;
    const y = rand() * height * 0.6;
    return {
      score: round(0.5 + rand() * 0.499, 6),
      label: OBJECTS[Math.floor(rand() * OBJECTS.length)],
      box: {
        xmin: Math.round(x),
        ymin: Math.round(y),
        xmax: Math.round(x + (width - x) * (0.3 + rand() * 0.7)),
        ymax: Math.round(y + (height - y) * (0.3 + rand() * 0.7)),
      },
    };
  });
}

/** The object-detection task. */
export const detectTask: EmulatorTask = {
  name: "detect",
  handles: (model, op) => op === "run" && publishedAs(model, SEARCH_TASK),
  answer(ctx: TaskContext): TaskAnswer {
    if (!publishedAs(ctx.model, SEARCH_TASK)) throw noSuchModel(ctx.model);
    return { result: detections(rawOrArrayImage(ctx.body)) };
  },
  models: () =>
    publishedIdsOf(SEARCH_TASK).map((id) =>
      modelObject(
        id,
        SEARCH_TASK,
        "A detection transformer trained end to end on COCO 2017.",
        publishedModel(id)?.beta ? [["beta", "true"]] : [],
      )
    ),
};
