/**
 * Published JSON Schemas as the snapshot keeps them: their prose removed
 * (`description`, `examples`, `x-…`), everything else copied as published;
 * and the JSON helpers the other normalizing modules share. Web standards
 * only.
 *
 * @module
 */
import type { JsonValue } from "./types.ts";

/**
 * A JSON object (as the published definitions hold them).
 *
 * @example
 * ```ts
 * import type { JsonObject } from "./strip.ts";
 *
 * const schema: JsonObject = { type: "object", required: ["text"] };
 * ```
 */
export type JsonObject = { [key: string]: JsonValue };

/**
 * Whether a value is a JSON object (not `null`, not an array).
 *
 * @example
 * ```ts
 * import { isObject } from "./strip.ts";
 *
 * isObject({ type: "string" }); // true
 * isObject(["string"]); // false
 * ```
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A JSON copy of `value` (`undefined`, functions and the like become `null`).
 *
 * @example
 * ```ts
 * import { toJson } from "./strip.ts";
 *
 * toJson({ a: 1, b: undefined, c: Infinity }); // { a: 1, c: null }
 * ```
 */
export function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = toJson(v);
    }
    return out;
  }
  return null;
}

/** Keys whose value maps names to schemas (a property named `description` is kept). */
const SCHEMA_MAPS: ReadonlySet<string> = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
]);
/** Keys whose value is data, copied as it is. */
const DATA_KEYS: ReadonlySet<string> = new Set(["enum", "const", "default", "required"]);

/**
 * A JSON Schema with its prose removed: every `description`, `examples` and
 * `x-…` keyword at any depth (a property that is *named* `description` is
 * kept), everything else copied as published.
 *
 * @example
 * ```ts
 * import { stripSchema } from "./strip.ts";
 *
 * stripSchema({
 *   type: "object",
 *   description: "A tool.",
 *   properties: { description: { type: "string", description: "What it does." } },
 * }); // { type: "object", properties: { description: { type: "string" } } }
 * ```
 */
export function stripSchema(schema: unknown): JsonValue {
  return strip(schema, false);
}

function strip(node: unknown, isMap: boolean): JsonValue {
  if (Array.isArray(node)) return node.map((item) => strip(item, false));
  if (!isObject(node)) return toJson(node);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined) continue;
    if (isMap) {
      out[key] = strip(value, false);
    } else if (key === "description" || key === "examples" || key.startsWith("x-")) {
      continue;
    } else if (DATA_KEYS.has(key)) {
      out[key] = toJson(value);
    } else {
      out[key] = strip(value, SCHEMA_MAPS.has(key) && isObject(value));
    }
  }
  return out;
}
