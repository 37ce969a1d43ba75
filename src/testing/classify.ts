/**
 * The classification task: DistilBERT SST-2 (`{ text }` -> NEGATIVE and
 * POSITIVE scores, in that order) and ResNet-50 (the raw image or
 * `{ image: number[] }` -> its five best ImageNet-style labels), each a bare
 * array in `result` as Workers AI answers them, scored deterministically
 * from the input.
 *
 * @module
 */

import { CLASSIFICATION_MODELS, knownClassifier } from "../classify/catalog.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { imageFacts, rawOrArrayImage } from "./media_input.ts";
import { modelObject, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { hash32, isObject, typeName, wordsOf } from "./util.ts";
import { jsonInput, refuseExtraKeys } from "./validate.ts";

const TEXT_TASK: SearchTask = {
  name: "Text Classification",
  description: "Sentiment analysis or text classification is a common NLP task that " +
    "classifies a text input into labels or classes.",
};
const IMAGE_TASK: SearchTask = {
  name: "Image Classification",
  description: "Image classification models take an image input and assign it labels or classes.",
};

const POSITIVE = new Set(
  "good great love loved lovely wonderful excellent happy nice amazing fantastic best like enjoy enjoyed delightful brilliant superb"
    .split(" "),
);
const NEGATIVE = new Set(
  "bad terrible awful hate hated horrible sad worst poor boring disappointing angry ugly broken rude"
    .split(" "),
);

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** DistilBERT's answer: both labels, NEGATIVE first, as the model answers them. */
function sentiment(body: unknown): unknown {
  if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
  refuseExtraKeys(body, ["text"]);
  if (body.text === undefined) throw badInput("required properties at '/' are 'text'");
  if (typeof body.text !== "string") {
    throw badInput(`Type mismatch of '/text', '${typeName(body.text)}' not in 'string'`);
  }
  if (body.text.length < 1) throw badInput("String at '/text' is shorter than minLength 1");
  let balance = 0;
  for (const w of wordsOf(body.text)) balance += POSITIVE.has(w) ? 1 : NEGATIVE.has(w) ? -1 : 0;
  const jitter = (hash32(body.text) % 1000) / 1000 * 0.4 - 0.2;
  const positive = 1 / (1 + Math.exp(-(2.5 * balance + jitter)));
  return [
    { label: "NEGATIVE", score: round(1 - positive) },
    { label: "POSITIVE", score: round(positive) },
  ];
}

const IMAGE_LABELS = [
  "tabby cat",
  "golden retriever",
  "lighthouse",
  "espresso",
  "mountain bike",
  "sports car",
  "daisy",
  "goldfish",
  "volcano",
  "laptop",
  "banana",
  "umbrella",
];

/** ResNet-50's answer: five labels, best first, chosen by the image's bytes. */
function imageLabels(image: Uint8Array): unknown {
  const { hash } = imageFacts(image);
  const first = hash % IMAGE_LABELS.length;
  const top = 0.5 + (hash % 400) / 1000;
  let left = 1 - top;
  return Array.from({ length: 5 }, (_, i) => {
    const score = i === 0 ? top : (left /= 2);
    return { label: IMAGE_LABELS[(first + i * 5) % IMAGE_LABELS.length], score: round(score) };
  });
}

/** The classification task. */
export const classifyTask: EmulatorTask = {
  name: "classify",
  handles: (model, op) => op === "run" && knownClassifier(model) !== undefined,
  answer(ctx: TaskContext): TaskAnswer {
    const spec = knownClassifier(ctx.model);
    if (!spec) throw noSuchModel(ctx.model);
    if (spec.input === "image") return { result: imageLabels(rawOrArrayImage(ctx.body)) };
    return { result: sentiment(jsonInput(ctx.body)) };
  },
  models: () =>
    CLASSIFICATION_MODELS.map((m) =>
      m.input === "image"
        ? modelObject(m.id, IMAGE_TASK, "A 50-layer image classification CNN (ImageNet).", [])
        : modelObject(m.id, TEXT_TASK, "A distilled BERT fine-tuned for sentiment (SST-2).", [])
    ),
};
