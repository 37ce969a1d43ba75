/**
 * The turn-detection models this plugin knows: a stretch of a speaker's
 * audio in, whether their turn is complete out.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * Everything the plugin knows about one turn-detection model.
 *
 * @example
 * ```ts
 * import { TURN_MODELS, type TurnModelSpec } from "@x/cloudflare-ai/models";
 *
 * const labels = TURN_MODELS.map((m: TurnModelSpec) => m.label); // ["Smart Turn v2"]
 * ```
 */
export interface TurnModelSpec {
  /** Workers AI model id, e.g. `@cf/pipecat-ai/smart-turn-v2`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** Whether Cloudflare marks the model beta. */
  beta?: boolean;
}

/** A turn-detection model's spec, with its published beta flag. */
function turnDetector(id: string, label: string): TurnModelSpec {
  return { id, label, ...(publishedModel(id)?.beta ? { beta: true } : {}) };
}

/**
 * The id of a turn-detection model of the built-in catalog. A reference made
 * with one of these ids is typed with `TurnConfig`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type TurnModelId } from "@x/cloudflare-ai";
 *
 * const id: TurnModelId = "@cf/pipecat-ai/smart-turn-v2";
 * const turns = cloudflareAI.model(id, { dtype: "float32" }); // config typed as TurnConfig
 * ```
 */
export type TurnModelId = "@cf/pipecat-ai/smart-turn-v2";

/**
 * Every active Workers AI turn-detection model.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { TURN_MODELS } from "@x/cloudflare-ai/models";
 *
 * const smartTurn = cloudflareAI.model(TURN_MODELS[0].id);
 * ```
 */
export const TURN_MODELS: readonly TurnModelSpec[] = [
  turnDetector("@cf/pipecat-ai/smart-turn-v2", "Smart Turn v2 (end of turn)"),
];

const TURN_BY_ID = byId(TURN_MODELS);

/** The catalog entry of a known turn-detection model, or `undefined`. */
export function knownTurnDetector(id: string): TurnModelSpec | undefined {
  return TURN_BY_ID.get(id);
}

/** The spec of any turn-detection id: the catalog entry, or Smart Turn's wire format for one it does not know. */
export function turnDetectorSpec(id: string): TurnModelSpec {
  return TURN_BY_ID.get(id) ?? turnDetector(id, workersLabel(id));
}
