/**
 * The classification models this plugin knows: text (sentiment) and image
 * classifiers, which answer labels with scores. What each classifies and
 * whether it is beta come from its published definition (its task and
 * `beta` property); its label is written here.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * Everything the plugin knows about one classification model.
 *
 * @example
 * ```ts
 * import { CLASSIFICATION_MODELS, type ClassifyModelSpec } from "@x/cloudflare-ai/models";
 *
 * const forImages = (m: ClassifyModelSpec) => m.input === "image";
 * console.log(CLASSIFICATION_MODELS.filter(forImages).map((m) => m.id)); // ["@cf/microsoft/resnet-50"]
 * ```
 */
export interface ClassifyModelSpec {
  /** Workers AI model id, e.g. `@cf/huggingface/distilbert-sst-2-int8`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /**
   * What it classifies: the prompt's text (`{ text }`), or its one image (the
   * image's bytes). `"either"` is for an id whose task is not known: the
   * prompt decides (an image if it has one, its text otherwise).
   */
  input: "text" | "image" | "either";
  /** Whether Cloudflare marks the model beta. */
  beta?: boolean;
}

/** Workers AI task names and what their models classify. */
const INPUT_BY_TASK: Readonly<Record<string, "text" | "image">> = {
  "Text Classification": "text",
  "Image Classification": "image",
};

/** A classifier's spec: what it classifies from its published task, and its published beta flag. */
function classifier(id: string, label: string, task?: string): ClassifyModelSpec {
  const published = publishedModel(id);
  const what = INPUT_BY_TASK[published?.task ?? task ?? ""];
  return { id, label, input: what ?? "either", ...(published?.beta ? { beta: true } : {}) };
}

/**
 * The id of a classification model of the built-in catalog. A reference
 * made with one of these ids is typed with `ClassifyConfig`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ClassifyModelId } from "@x/cloudflare-ai";
 *
 * const id: ClassifyModelId = "@cf/huggingface/distilbert-sst-2-int8";
 * const sentiment = cloudflareAI.model(id); // takes no config
 * ```
 */
export type ClassifyModelId = "@cf/huggingface/distilbert-sst-2-int8" | "@cf/microsoft/resnet-50";

/**
 * Every active Workers AI text and image classification model (the
 * reranker, which the model search also files under Text Classification, is
 * the reranking family's).
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { CLASSIFICATION_MODELS } from "@x/cloudflare-ai/models";
 *
 * // Register only the classifiers at start.
 * const models = CLASSIFICATION_MODELS.map((m) => m.id);
 * const ai = genkit({ plugins: [cloudflareAI({ models })] });
 * ```
 */
export const CLASSIFICATION_MODELS: readonly ClassifyModelSpec[] = [
  classifier("@cf/huggingface/distilbert-sst-2-int8", "DistilBERT SST-2 (sentiment)"),
  classifier("@cf/microsoft/resnet-50", "ResNet-50 (image classes)"),
];

const CLASSIFICATION_BY_ID = byId(CLASSIFICATION_MODELS);

/** The catalog entry of a known classification model, or `undefined`. */
export function knownClassifier(id: string): ClassifyModelSpec | undefined {
  return CLASSIFICATION_BY_ID.get(id);
}

/**
 * The spec of any classification id: the catalog entry, or, for a model the
 * catalog does not know, what its task says it classifies (DistilBERT's and
 * ResNet's wire formats, the documented ones).
 */
export function classifierSpec(id: string, task?: string): ClassifyModelSpec {
  return CLASSIFICATION_BY_ID.get(id) ?? classifier(id, workersLabel(id), task);
}
