/**
 * Pure transformations of Cloudflare's published model definitions: the
 * published-file shape from what the model search and schema endpoints
 * answer, and the runtime facts from a published file. Web standards only.
 *
 * The parts live beside this module: schema stripping in `strip.ts`, the
 * properties and their facts in `property_facts.ts`, the input variants and
 * scalar parameters in `input_facts.ts`; their functions are exported here
 * too.
 *
 * @module
 */
import type { PublishedDefinition, PublishedModel } from "./types.ts";
import { inputFacts } from "./input_facts.ts";
import { normalizeProperties, normalizePropertyValue, propertyFacts } from "./property_facts.ts";
import { isObject, stripSchema } from "./strip.ts";

export { inputFacts } from "./input_facts.ts";
export { normalizeProperties, normalizePropertyValue, propertyFacts } from "./property_facts.ts";
export { stripSchema } from "./strip.ts";

/** Top-level fields of a search result kept as properties (flags and dates). */
const TOP_LEVEL_PROPERTIES: readonly string[] = [
  "beta",
  "deprecated",
  "created_at",
  "planned_deprecation_date",
];

/**
 * A search result and its schema answer as one published definition (the
 * snapshot-file shape), read from the live API on `retrieved`; `undefined`
 * when the result has no name or task.
 *
 * @example
 * ```ts
 * import { definitionFromApi } from "./normalize.ts";
 *
 * const definition = definitionFromApi(
 *   {
 *     name: "@cf/baai/bge-small-en-v1.5",
 *     task: { name: "Text Embeddings" },
 *     properties: [{ property_id: "output_dimensions", value: "384" }],
 *   },
 *   { input: { type: "object" }, output: { type: "object" } },
 *   "2026-12-07",
 * );
 * console.log(definition?.properties.output_dimensions); // 384
 * ```
 */
export function definitionFromApi(
  model: unknown,
  schema: unknown,
  retrieved: string,
): PublishedDefinition | undefined {
  if (!isObject(model) || typeof model.name !== "string") return undefined;
  const task = isObject(model.task) ? model.task.name : undefined;
  if (typeof task !== "string") return undefined;
  const properties = normalizeProperties(model.properties);
  for (const key of TOP_LEVEL_PROPERTIES) {
    if (model[key] !== undefined && model[key] !== null && !(key in properties)) {
      properties[key] = normalizePropertyValue(model[key]);
    }
  }
  const schemas = isObject(schema) ? schema : {};
  return {
    id: model.name,
    task,
    source: { api: "models/search+schema", retrieved },
    properties,
    schema: { input: stripSchema(schemas.input ?? {}), output: stripSchema(schemas.output ?? {}) },
  };
}

/**
 * The runtime facts of one published definition.
 *
 * @example
 * ```ts
 * import { modelFacts } from "./normalize.ts";
 *
 * const facts = modelFacts({
 *   id: "@cf/baai/bge-small-en-v1.5",
 *   task: "Text Embeddings",
 *   source: { api: "models/search+schema", retrieved: "2026-12-07" },
 *   properties: { output_dimensions: 384 },
 *   schema: { input: { type: "object", properties: { text: { type: "string" } } }, output: {} },
 * }, true);
 * console.log(facts.outputDimensions, facts.params.text?.type); // 384 "string"
 * ```
 */
export function modelFacts(
  definition: PublishedDefinition,
  listedInTypes: boolean,
): PublishedModel {
  return {
    task: definition.task,
    ...propertyFacts(definition.properties),
    listedInTypes,
    ...inputFacts(definition.schema.input),
  };
}
