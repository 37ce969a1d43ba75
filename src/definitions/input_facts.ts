/**
 * The input-schema facts of a published definition: its top-level variants
 * (through `oneOf` / `anyOf` / `allOf` and local `$ref`s), the fields each
 * has, and the scalar parameters a model's `params` lists (types, bounds,
 * enums, defaults, nullability). Web standards only.
 *
 * @module
 */
import type { JsonValue, PublishedModel, PublishedParam, PublishedVariant } from "./types.ts";
import { isObject, type JsonObject } from "./strip.ts";

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
 * import { inputFacts } from "./input_facts.ts";
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
