/**
 * Pure transformations of Cloudflare's published model definitions: the
 * published-file shape from what the model search and schema endpoints
 * answer, and the runtime facts from a published file. Web standards only.
 *
 * @module
 */
import type {
  JsonValue,
  PublishedDefinition,
  PublishedModel,
  PublishedParam,
  PublishedVariant,
  ReasoningEffortFacts,
} from "./types.ts";

type JsonObject = { [key: string]: JsonValue };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Properties that are prose or prices, never facts: dropped from the snapshot. */
const DROPPED_PROPERTIES: ReadonlySet<string> = new Set(["price", "terms", "info"]);

/** Top-level fields of a search result kept as properties (flags and dates). */
const TOP_LEVEL_PROPERTIES: readonly string[] = [
  "beta",
  "deprecated",
  "created_at",
  "planned_deprecation_date",
];

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * One published property value as the snapshot keeps it: `"true"`/`"false"`
 * become booleans, numeric strings numbers, a string holding a JSON object
 * or array that value; anything else is kept as published.
 *
 * @example
 * ```ts
 * import { normalizePropertyValue } from "./normalize.ts";
 *
 * normalizePropertyValue("true"); // true
 * normalizePropertyValue("131072"); // 131072
 * normalizePropertyValue("2026-01-01"); // "2026-01-01"
 * ```
 */
export function normalizePropertyValue(value: unknown): JsonValue {
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "true") return true;
    if (text === "false") return false;
    if (NUMBER.test(text) && Number.isFinite(Number(text))) return Number(text);
    if (/^[[{]/.test(text)) {
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return value;
      }
    }
    return value;
  }
  return toJson(value);
}

/** A JSON copy of `value` (`undefined`, functions and the like become `null`). */
function toJson(value: unknown): JsonValue {
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

/**
 * A search result's `properties` list (`[{ property_id, value }]`) as the
 * snapshot's object, by property id, values normalized, prices, terms and
 * info links dropped.
 *
 * @example
 * ```ts
 * import { normalizeProperties } from "./normalize.ts";
 *
 * normalizeProperties([
 *   { property_id: "beta", value: "true" },
 *   { property_id: "context_window", value: "24000" },
 *   { property_id: "terms", value: "https://example.com/terms" },
 * ]); // { beta: true, context_window: 24000 }
 * ```
 */
export function normalizeProperties(list: unknown): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list) {
    if (!isObject(entry) || typeof entry.property_id !== "string") continue;
    if (DROPPED_PROPERTIES.has(entry.property_id)) continue;
    out[entry.property_id] = normalizePropertyValue(entry.value);
  }
  return out;
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
 * import { stripSchema } from "./normalize.ts";
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

function flag(props: Readonly<Record<string, JsonValue>>, key: string): boolean {
  const v = props[key];
  return v === true || v === "true";
}

function count(props: Readonly<Record<string, JsonValue>>, key: string): number | undefined {
  const v = props[key];
  const n = typeof v === "number" ? v : typeof v === "string" && NUMBER.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function reasoningEffort(value: JsonValue | undefined): ReasoningEffortFacts | undefined {
  if (Array.isArray(value)) {
    return { supported: value.filter((v): v is string => typeof v === "string") };
  }
  if (!isObject(value)) return undefined;
  const supported = Array.isArray(value.supported_efforts)
    ? value.supported_efforts.filter((v): v is string => typeof v === "string")
    : [];
  const facts: {
    supported: string[];
    default?: string;
    normalizesTo?: Record<string, string>;
    mandatory?: boolean;
    defaultEnabled?: boolean;
  } = { supported };
  if (typeof value.default_effort === "string") facts.default = value.default_effort;
  if (isObject(value.normalizes_to)) {
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(value.normalizes_to)) if (typeof v === "string") map[k] = v;
    facts.normalizesTo = map;
  }
  const mandatory = normalizePropertyValue(value.mandatory);
  if (typeof mandatory === "boolean") facts.mandatory = mandatory;
  const enabled = normalizePropertyValue(value.default_enabled);
  if (typeof enabled === "boolean") facts.defaultEnabled = enabled;
  return facts;
}

/**
 * The normalized properties of a definition (or of a live search result's
 * properties, once normalized): booleans default to `false`, numbers are
 * parsed, absent values are left out.
 *
 * @example
 * ```ts
 * import { propertyFacts } from "./normalize.ts";
 *
 * const facts = propertyFacts({ function_calling: true, context_window: 131072 });
 * console.log(facts.functionCalling, facts.contextWindow, facts.vision); // true 131072 false
 * ```
 */
export function propertyFacts(
  props: Readonly<Record<string, JsonValue>>,
): Omit<PublishedModel, "task" | "listedInTypes" | "inputFields" | "variants" | "params"> {
  const deprecation = props.planned_deprecation_date;
  return {
    functionCalling: flag(props, "function_calling"),
    vision: flag(props, "vision"),
    reasoning: flag(props, "reasoning"),
    ...optional("reasoningEffort", reasoningEffort(props.reasoning_effort)),
    ...optional("contextWindow", count(props, "context_window")),
    ...optional("maxTotalTokens", count(props, "max_total_tokens")),
    ...optional("maxInputTokens", count(props, "max_input_tokens")),
    ...optional("outputDimensions", count(props, "output_dimensions")),
    lora: flag(props, "lora"),
    asyncQueue: flag(props, "async_queue"),
    realtime: flag(props, "realtime"),
    partner: flag(props, "partner"),
    requireWorkersPaid: flag(props, "require_workers_paid"),
    ...optional(
      "plannedDeprecationDate",
      typeof deprecation === "string" && deprecation ? deprecation : undefined,
    ),
    beta: flag(props, "beta"),
    deprecated: flag(props, "deprecated"),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A top-level input variant with the schemas of its fields. */
interface Variant {
  title?: string;
  required: string[];
  fields: Map<string, JsonValue>;
  type?: string;
}

/** Follows a local `$ref` (`#/$defs/…`, `#/definitions/…`), a bounded number of times. */
function resolve(node: JsonValue | undefined, root: JsonValue): JsonValue | undefined {
  let current = node;
  for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === "string"; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith("#/")) return current;
    let target: JsonValue | undefined = root;
    for (const part of ref.slice(2).split("/")) {
      const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) return current;
    current = target;
  }
  return current;
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function isNullSchema(node: JsonValue | undefined): boolean {
  return isObject(node) && node.type === "null" && node.properties === undefined;
}

function collectVariants(
  node: JsonValue | undefined,
  root: JsonValue,
  inherited: Variant,
  out: Variant[],
  depth: number,
): void {
  const schema = resolve(node, root);
  if (!isObject(schema) || isNullSchema(schema) || depth > 8) return;
  const variant: Variant = {
    title: typeof schema.title === "string" ? schema.title : inherited.title,
    required: [...inherited.required],
    fields: new Map(inherited.fields),
    type: inherited.type,
  };
  const merge = (part: JsonObject) => {
    if (isObject(part.properties)) {
      for (const [name, field] of Object.entries(part.properties)) variant.fields.set(name, field);
    }
    for (const name of strings(part.required)) {
      if (!variant.required.includes(name)) variant.required.push(name);
    }
    const type = Array.isArray(part.type) ? part.type.find((t) => t !== "null") : part.type;
    if (typeof type === "string") variant.type = type;
  };
  merge(schema);
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const resolved = resolve(part, root);
    if (isObject(resolved)) merge(resolved);
  }
  const alternatives = Array.isArray(schema.oneOf)
    ? schema.oneOf
    : Array.isArray(schema.anyOf)
    ? schema.anyOf
    : undefined;
  if (alternatives && alternatives.some((a) => isObject(resolve(a, root)))) {
    for (const alternative of alternatives) {
      collectVariants(alternative, root, variant, out, depth + 1);
    }
    return;
  }
  out.push(variant);
}

/** The top-level variants of an input schema, with their fields' schemas. */
function variantsOf(input: JsonValue): Variant[] {
  const out: Variant[] = [];
  collectVariants(input, input, { required: [], fields: new Map() }, out, 0);
  return out;
}

const SCALAR_TYPES: ReadonlySet<string> = new Set(["number", "integer", "boolean", "string"]);

/** Infers a scalar type from an enum's values. */
function enumType(values: JsonValue[]): PublishedParam["type"] | undefined {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return undefined;
  if (present.every((v) => typeof v === "string")) return "string";
  if (present.every((v) => typeof v === "boolean")) return "boolean";
  if (present.every((v) => typeof v === "number")) {
    return present.every((v) => Number.isInteger(v)) ? "integer" : "number";
  }
  return undefined;
}

/** A scalar parameter's published facts; `undefined` when the field is not a scalar. */
function scalarParam(field: JsonValue, root: JsonValue): PublishedParam | undefined {
  const outer = resolve(field, root);
  if (!isObject(outer)) return undefined;
  let schema: JsonObject = outer;
  let nullable = false;
  const alternatives = Array.isArray(outer.anyOf)
    ? outer.anyOf
    : Array.isArray(outer.oneOf)
    ? outer.oneOf
    : undefined;
  if (alternatives) {
    const present = alternatives.map((a) => resolve(a, root)).filter((a) => !isNullSchema(a));
    if (present.length !== 1 || !isObject(present[0])) return undefined;
    nullable = present.length < alternatives.length;
    // The inner schema's facts, then what only the outer one says (often its default).
    schema = { ...outer, ...present[0] };
    delete schema.anyOf;
    delete schema.oneOf;
  }
  let type: string | undefined;
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== "null");
    if (types.length !== 1 || typeof types[0] !== "string") return undefined;
    nullable ||= types.length < schema.type.length;
    type = types[0];
  } else if (typeof schema.type === "string") {
    type = schema.type;
  }
  let values: JsonValue[] | undefined = Array.isArray(schema.enum)
    ? schema.enum
    : schema.const !== undefined
    ? [schema.const]
    : undefined;
  if (values?.includes(null)) {
    nullable = true;
    values = values.filter((v) => v !== null);
  }
  type ??= values ? enumType(values) : undefined;
  if (type === undefined || !SCALAR_TYPES.has(type)) return undefined;
  const param: Record<string, unknown> = { type };
  for (
    const key of [
      "minimum",
      "maximum",
      "exclusiveMinimum",
      "exclusiveMaximum",
      "minLength",
      "maxLength",
    ]
  ) {
    if (typeof schema[key] === "number") param[key] = schema[key];
  }
  if (type === "string" && typeof schema.pattern === "string") param.pattern = schema.pattern;
  if (values) {
    param.enum = values.filter((v) =>
      typeof v === "string" || typeof v === "number" || typeof v === "boolean"
    );
  }
  const fallback = schema.default;
  if (
    fallback === null || typeof fallback === "string" || typeof fallback === "number" ||
    typeof fallback === "boolean"
  ) {
    param.default = fallback;
  }
  if (nullable) param.nullable = true;
  return param as unknown as PublishedParam;
}

/** The variants whose scalar fields become a model's `params`, in priority order. */
function paramVariants(variants: Variant[]): Variant[] {
  const chat = variants.find((v) => v.fields.has("messages"));
  if (chat) return [chat];
  const prompt = variants.find((v) => v.fields.has("prompt"));
  if (prompt) return [prompt];
  return variants;
}

/**
 * The input-schema facts of a definition: its top-level fields, its variants
 * and its scalar parameters (see {@link PublishedModel.params}).
 *
 * @example
 * ```ts
 * import { inputFacts } from "./normalize.ts";
 *
 * const facts = inputFacts({
 *   type: "object",
 *   properties: {
 *     text: { type: "string" },
 *     pooling: { type: "string", enum: ["mean", "cls"], default: "mean" },
 *   },
 *   required: ["text"],
 * });
 * console.log(facts.params.pooling?.enum); // ["mean", "cls"]
 * ```
 */
export function inputFacts(
  input: JsonValue,
): Pick<PublishedModel, "inputFields" | "variants" | "params"> {
  const variants = variantsOf(input);
  const inputFields: string[] = [];
  for (const v of variants) {
    for (const name of v.fields.keys()) if (!inputFields.includes(name)) inputFields.push(name);
  }
  const params: Record<string, PublishedParam> = {};
  for (const v of paramVariants(variants)) {
    for (const [name, field] of v.fields) {
      if (Object.hasOwn(params, name)) continue;
      const param = scalarParam(field, input);
      if (param) params[name] = param;
    }
  }
  return {
    inputFields,
    variants: variants.map((v): PublishedVariant => ({
      ...(v.title === undefined ? {} : { title: v.title }),
      required: v.required,
      fields: [...v.fields.keys()],
      ...(v.type === undefined || v.type === "object" ? {} : { type: v.type }),
    })),
    params,
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
