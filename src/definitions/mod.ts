/**
 * Cloudflare's published model definitions, as the runtime reads them: each
 * model's task, published properties (capabilities, context window, LoRA,
 * paid-only, deprecation) and scalar input parameters (types, ranges, enums,
 * defaults), from the snapshot in `published/` (see `facts.ts`, generated).
 * The full input and output schemas are in `schemas.ts`, for the emulator and
 * tests only.
 *
 * @module
 */
import { PUBLISHED } from "./facts.ts";
import type { PublishedModel } from "./types.ts";

export type {
  JsonValue,
  PublishedDefinition,
  PublishedModel,
  PublishedParam,
  PublishedSource,
  PublishedVariant,
  ReasoningEffortFacts,
} from "./types.ts";

/**
 * Every model id the snapshot has a published definition for, sorted.
 *
 * @example
 * ```ts
 * import { PUBLISHED_MODEL_IDS, publishedModel } from "./mod.ts";
 *
 * const paidOnly = PUBLISHED_MODEL_IDS.filter((id) => publishedModel(id)?.requireWorkersPaid);
 * console.log(paidOnly);
 * ```
 */
export const PUBLISHED_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(PUBLISHED).sort());

/**
 * A model's published facts, or `undefined` when the snapshot has no
 * definition for the id.
 *
 * @example
 * ```ts
 * import { publishedModel } from "./mod.ts";
 *
 * const glm = publishedModel("@cf/zai-org/glm-5.3-flash");
 * if (glm?.reasoningEffort) {
 *   console.log(glm.reasoningEffort.supported, glm.reasoningEffort.default);
 * }
 * console.log(publishedModel("@cf/nobody/no-such-model")); // undefined
 * ```
 */
export function publishedModel(id: string): PublishedModel | undefined {
  return Object.hasOwn(PUBLISHED, id) ? PUBLISHED[id] : undefined;
}
