/**
 * The object-detection models this plugin knows: whether each is beta comes
 * from its published definition; its label is written here.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * Everything the plugin knows about one object-detection model.
 *
 * @example
 * ```ts
 * import { DETECTION_MODELS, type DetectModelSpec } from "@x/cloudflare-ai/models";
 *
 * const stable = (m: DetectModelSpec) => !m.beta;
 * console.log(DETECTION_MODELS.filter(stable).length); // 0: DETR is in beta
 * ```
 */
export interface DetectModelSpec {
  /** Workers AI model id, e.g. `@cf/facebook/detr-resnet-50`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** Whether Cloudflare marks the model beta. */
  beta?: boolean;
}

/** A detection model's spec, with its published beta flag. */
function detector(id: string, label: string): DetectModelSpec {
  return { id, label, ...(publishedModel(id)?.beta ? { beta: true } : {}) };
}

/**
 * The id of an object-detection model of the built-in catalog. A reference
 * made with one of these ids is typed with `DetectConfig`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type DetectModelId } from "@x/cloudflare-ai";
 *
 * const id: DetectModelId = "@cf/facebook/detr-resnet-50";
 * const detr = cloudflareAI.model(id); // takes no config
 * ```
 */
export type DetectModelId = "@cf/facebook/detr-resnet-50";

/**
 * Every active Workers AI object-detection model.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { DETECTION_MODELS } from "@x/cloudflare-ai/models";
 *
 * const detector = cloudflareAI.model(DETECTION_MODELS[0].id);
 * ```
 */
export const DETECTION_MODELS: readonly DetectModelSpec[] = [
  detector("@cf/facebook/detr-resnet-50", "DETR ResNet-50 (objects)"),
];

const DETECTION_BY_ID = byId(DETECTION_MODELS);

/** The catalog entry of a known detection model, or `undefined`. */
export function knownDetector(id: string): DetectModelSpec | undefined {
  return DETECTION_BY_ID.get(id);
}

/** The spec of any detection id: the catalog entry, or DETR's wire format for one it does not know. */
export function detectorSpec(id: string): DetectModelSpec {
  return DETECTION_BY_ID.get(id) ?? detector(id, workersLabel(id));
}
