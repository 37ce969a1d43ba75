/**
 * The emulator's judge: every `/ai/run/{model}` request is validated against
 * the model's input JSON Schema as Cloudflare publishes it (the snapshot in
 * `src/definitions/`), with a real JSON Schema validator, before any task
 * answers it. A violation is answered as Workers AI answers one: HTTP 400,
 * code 5006, `AiError: Bad input: Error: …` naming the failing path.
 *
 * What is judged is the JSON the published schema describes: a JSON body as
 * sent; raw bytes as the schema's binary string, or as its `audio` / `image`
 * field (with a nova-3 style query string as the other fields); a FLUX.2
 * multipart form as `{ multipart: { body, contentType } }`, and its fields
 * by the form table of `judge_tables.ts`.
 *
 * Unknown top-level properties are refused (Cloudflare's validator is strict
 * there: flux-1-schnell answers `Additional or unevaluated properties
 * '/width, /height' at '/' not allowed`), although the published files omit
 * `additionalProperties: false`. Nested objects are judged as published.
 *
 * @module
 */

import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";
import { PUBLISHED_SCHEMAS } from "../definitions/schemas.ts";
import { badInput } from "./errors.ts";
import { EXTRA_PROPERTIES, FORM_SCHEMAS, OWN_INPUT_SCHEMAS } from "./judge_tables.ts";
import type { TaskBody } from "./tasks.ts";
import { isObject } from "./util.ts";

/** Whether the emulator judges `/ai/run` requests by the published schemas. */
export type JudgeMode = "published" | "off";

/** A compiled validator and the (closed) schema it validates with. */
interface Compiled {
  validator: Validator;
  schema: unknown;
}

/** Compiled validators by model id (and `form:` + id for FLUX.2's form fields). */
const compiled = new Map<string, Compiled>();

/**
 * A model's input schema: the published one, or the emulator's own for a
 * model Cloudflare publishes no file for (see `judge_tables.ts`).
 */
function inputSchemaOf(model: string): unknown {
  if (Object.hasOwn(PUBLISHED_SCHEMAS, model)) {
    const published = PUBLISHED_SCHEMAS[model].input;
    const extra = Object.hasOwn(EXTRA_PROPERTIES, model) ? EXTRA_PROPERTIES[model] : undefined;
    if (!isObject(published) || extra === undefined) return published;
    const own = isObject(published.properties) ? published.properties : {};
    return { ...published, properties: { ...own, ...extra } };
  }
  return Object.hasOwn(OWN_INPUT_SCHEMAS, model) ? OWN_INPUT_SCHEMAS[model] : undefined;
}

/**
 * Whether the judge knows a model: Cloudflare publishes a definition for it
 * (with or without an input schema), or the emulator has its own schema.
 */
export function isKnownModel(model: string): boolean {
  return Object.hasOwn(PUBLISHED_SCHEMAS, model) || Object.hasOwn(OWN_INPUT_SCHEMAS, model);
}

/** The branches of a schema's top-level `oneOf` / `anyOf`, if any. */
function branchesOf(s: Record<string, unknown>): unknown[] {
  return [
    ...(Array.isArray(s.oneOf) ? s.oneOf : []),
    ...(Array.isArray(s.anyOf) ? s.anyOf : []),
  ];
}

/**
 * Closes the top-level objects of a schema: every object branch reachable
 * through `oneOf` / `anyOf` takes the properties of the levels above it and
 * `additionalProperties: false`, unless it says otherwise.
 */
function closeTop(schema: unknown, inherited: Record<string, unknown> = {}): unknown {
  if (!isObject(schema)) return schema;
  const props = { ...inherited, ...(isObject(schema.properties) ? schema.properties : {}) };
  if (branchesOf(schema).length > 0) {
    const out: Record<string, unknown> = { ...schema };
    for (const key of ["oneOf", "anyOf"] as const) {
      const list = schema[key];
      if (Array.isArray(list)) out[key] = list.map((b) => closeTop(b, props));
    }
    return out;
  }
  const objectish = schema.type === "object" ||
    (schema.type === undefined && isObject(schema.properties));
  const open = schema.additionalProperties !== undefined ||
    schema.unevaluatedProperties !== undefined || schema.patternProperties !== undefined ||
    schema.allOf !== undefined || schema.$ref !== undefined;
  if (!objectish || open) return schema;
  return { ...schema, properties: props, additionalProperties: false };
}

function validatorFor(key: string, schema: unknown): Compiled {
  let c = compiled.get(key);
  if (!c) {
    const closed = closeTop(schema);
    // The validator annotates the schema it is given: it gets its own copy.
    const validator = new Validator(structuredClone(closed) as Schema, "2020-12", false);
    c = { validator, schema: closed };
    compiled.set(key, c);
  }
  return c;
}

/** The value at a keyword location (`#/oneOf/1/properties/x/pattern`) of a schema. */
function keywordValue(schema: unknown, location: string): unknown {
  let at: unknown = schema;
  for (const raw of location.replace(/^#\/?/, "").split("/")) {
    if (raw === "") continue;
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(at) && !Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A JSON pointer of the validator (`#/a/0`) as Cloudflare writes it (`/a/0`). */
function pathOf(location: string): string {
  const p = location.replace(/^#/, "");
  try {
    return p === "" ? "/" : decodeURIComponent(p);
  } catch {
    return p === "" ? "/" : p;
  }
}

/** The enum values of a validator message, quoted as Cloudflare lists them. */
function enumValues(error: string): string {
  const m = /any of (.*)\.$/.exec(error);
  try {
    const values = JSON.parse(m?.[1] ?? "[]") as unknown[];
    return values.map((v) => `'${typeof v === "string" ? v : JSON.stringify(v)}'`).join(", ");
  } catch {
    return m?.[1] ?? "";
  }
}

/** Keywords whose failures only say that something below them failed. */
const CONTAINERS = new Set([
  "properties",
  "items",
  "prefixItems",
  "additionalItems",
  "allOf",
  "$ref",
  "$recursiveRef",
  "dependentSchemas",
  "contains",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "patternProperties",
  // A `false` subschema: the keyword naming it (e.g. additionalProperties) says why.
  "false",
]);

/** One validator failure in Cloudflare's wording, or `undefined` for a container's. */
function unitText(u: OutputUnit, schema: unknown): string | undefined {
  const at = pathOf(u.instanceLocation);
  const e = u.error;
  switch (u.keyword) {
    case "type": {
      const m = /Instance type "([^"]+)" is invalid\. Expected "(.*)"\.$/.exec(e);
      return m
        ? `Type mismatch of '${at}', '${m[1]}' not in '${m[2].split('", "').join(", ")}'`
        : `Type mismatch of '${at}'`;
    }
    case "required": {
      const m = /required property "(.*)"\.$/.exec(e);
      return `required properties at '${at}' are '${m?.[1] ?? "?"}'`;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const m = /^(.*) is (less|greater) than (or equal to )?\s*(.*)\.$/.exec(e);
      if (!m) return `${u.keyword} at '${at}' not met`;
      const bound = m[3] ? `exclusive${m[2] === "less" ? "Minimum" : "Maximum"}` : u.keyword;
      const word = m[2] === "less" ? "less than" : "greater than";
      return `Value ${m[1]} at '${at}' is ${word} ${bound} ${m[4]}`;
    }
    case "minLength":
    case "maxLength": {
      const m = /\((\d+) [<>] (\d+)\)/.exec(e);
      const word = u.keyword === "minLength" ? "shorter" : "longer";
      return `String at '${at}' is ${word} than ${u.keyword} ${m?.[2] ?? "?"}`;
    }
    case "minItems":
    case "maxItems": {
      const m = /\((\d+) [<>] (\d+)\)/.exec(e);
      const word = u.keyword === "minItems" ? "fewer" : "more";
      return `Array at '${at}' has ${m?.[1] ?? "?"} items, ${word} than ${u.keyword} ${
        m?.[2] ?? "?"
      }`;
    }
    case "pattern": {
      const pattern = keywordValue(schema, u.keywordLocation);
      return `String at '${at}' does not match pattern '${String(pattern)}'`;
    }
    case "enum":
      return `Value at '${at}' is not one of the enum values ${enumValues(e)}`;
    case "const":
      return `Value at '${at}' is not const ${e.replace(/^Instance does not match /, "")}`;
    case "oneOf":
    case "anyOf": {
      const m = /\((\d+) matches\)/.exec(e);
      return `${u.keyword} at '${at}' not met${m ? `, ${m[1]} matches` : ""}`;
    }
    default:
      return CONTAINERS.has(u.keyword) ? undefined : `${u.keyword} at '${at}' not met: ${e}`;
  }
}

function isCombinator(u: OutputUnit): boolean {
  return u.keyword === "oneOf" || u.keyword === "anyOf";
}

/**
 * The failures worth reporting: of each branch of a failed `oneOf` / `anyOf`,
 * only its first (as Cloudflare's validator reports them: `oneOf at '/' not
 * met, 0 matches: required properties at '/' are 'prompt', Type mismatch of
 * '/messages/0/content', …`, one reason a branch).
 */
function reported(errors: readonly OutputUnit[]): OutputUnit[] {
  const skip = new Set<number>();
  errors.forEach((u, i) => {
    if (skip.has(i) || !isCombinator(u)) return;
    const prefix = `${u.keywordLocation}/`;
    const kept = new Map<string, OutputUnit>();
    errors.forEach((d, j) => {
      if (j <= i || skip.has(j) || !d.keywordLocation.startsWith(prefix)) return;
      const branch = d.keywordLocation.slice(prefix.length).split("/")[0];
      const first = kept.get(branch);
      if (first === undefined) {
        if (CONTAINERS.has(d.keyword)) skip.add(j);
        else kept.set(branch, d);
        return;
      }
      const below = d.keywordLocation.startsWith(`${first.keywordLocation}/`);
      const same = d.keyword === first.keyword && d.keywordLocation === first.keywordLocation;
      if (!below && !same) skip.add(j);
    });
  });
  return errors.filter((_, i) => !skip.has(i));
}

/** The detail of a 5006 for a failed validation, in Cloudflare's wording. */
function describeFailure(errors: readonly OutputUnit[], schema?: unknown): string {
  // Not an object at all: that is the whole story (what the branches say of it is noise).
  const root = errors.find((u) => u.keyword === "type" && u.keywordLocation === "#/type");
  if (root) return unitText(root, schema)!;
  const parts: string[] = [];
  const extra = new Map<string, string[]>();
  for (const u of reported(errors)) {
    if (u.keyword === "additionalProperties" || u.keyword === "unevaluatedProperties") {
      const m = /^Property "(.*)" does not match/.exec(u.error);
      if (!m) continue;
      const at = pathOf(u.instanceLocation);
      const base = at === "/" ? "" : at;
      // One message per schema object (two branches refusing different keys are two reasons).
      const group = `${u.keywordLocation}\u0000${at}`;
      if (!extra.has(group)) {
        extra.set(group, []);
        parts.push(`\u0000${group}`);
      }
      const keys = extra.get(group)!;
      if (!keys.includes(`${base}/${m[1]}`)) keys.push(`${base}/${m[1]}`);
      continue;
    }
    const text = unitText(u, schema);
    if (text !== undefined && !parts.includes(text)) parts.push(text);
  }
  const texts = parts.slice(0, 16).map((p) => {
    if (!p.startsWith("\u0000")) return p;
    const group = p.slice(1);
    const at = group.slice(group.indexOf("\u0000") + 1);
    return `Additional or unevaluated properties '${extra.get(group)!.join(", ")}' at '${at}' ` +
      "not allowed";
  });
  // A combinator with no match lists what failed in its branches after a colon.
  let out = "";
  texts.forEach((t, i) => {
    if (i > 0) out += /matches$|not met$/.test(texts[i - 1]) ? ": " : ", ";
    out += t;
  });
  return out;
}

/** Validates `instance` against a schema, throwing the 5006 Workers AI answers. */
function check(key: string, schema: unknown, instance: unknown): void {
  const c = validatorFor(key, schema);
  const result = c.validator.validate(instance);
  if (!result.valid) throw badInput(describeFailure(result.errors, c.schema));
}

/** The subschemas of a schema's top level: itself and its `oneOf` / `anyOf` branches, deep. */
function topLevels(schema: unknown): Record<string, unknown>[] {
  if (!isObject(schema)) return [];
  return [schema, ...branchesOf(schema).flatMap(topLevels)];
}

/** Whether the schema takes a bare binary string at its top level (a raw file body). */
function takesBinary(schema: unknown): boolean {
  return topLevels(schema).some((s) => s.type === "string");
}

/** The schemas a top-level property has across the branches. */
function propertySchemas(schema: unknown, name: string): Record<string, unknown>[] {
  return topLevels(schema).flatMap((s) =>
    isObject(s.properties) && isObject(s.properties[name]) ? [s.properties[name]] : []
  ).flatMap((p) => [p, ...topLevels(p).slice(1)]);
}

/** A query or form value as the type its property's schema has, when it reads as one. */
function typedText(text: string, schemas: readonly Record<string, unknown>[]): unknown {
  const types = schemas.flatMap((s) => Array.isArray(s.type) ? s.type : [s.type]);
  if (types.includes("string")) return text;
  if ((types.includes("boolean")) && (text === "true" || text === "false")) return text === "true";
  const numeric = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim());
  if ((types.includes("number") || types.includes("integer")) && numeric) return Number(text);
  return text;
}

/** Bytes as base64 (at most the first 48: the judge looks at types, not content). */
function shortBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes.subarray(0, 48)));
}

/** Raw bytes as the value of a media field, in the form its schema takes. */
function mediaValue(schemas: readonly Record<string, unknown>[], bytes: Uint8Array, type: string) {
  const types = schemas.map((s) => s.type);
  if (types.includes("object")) return { body: {}, contentType: type };
  if (types.includes("array")) return Array.from(bytes.subarray(0, 48));
  return shortBase64(bytes);
}

/**
 * The JSON a request body is to its model's published schema (see the module
 * doc), or `undefined` for an empty JSON body, which the task refuses itself.
 */
function judgedValue(schema: unknown, body: TaskBody, query: URLSearchParams): unknown {
  if (body.kind === "json") return withoutRunOptions(body.value);
  if (body.kind === "form") {
    if (propertySchemas(schema, "multipart").length === 0) return "multipart form";
    const fields: Record<string, unknown> = {};
    for (const [k, v] of body.form) fields[k] = typeof v === "string" ? v : {};
    return { multipart: { body: fields, contentType: "multipart/form-data" } };
  }
  if (takesBinary(schema)) return "binary";
  // The media field the body stands for: one a branch requires (nova-3's audio, not llama's image).
  const required = (f: string) =>
    topLevels(schema).some((s) => Array.isArray(s.required) && s.required.includes(f));
  const field = ["audio", "image"].find((f) =>
    required(f) && propertySchemas(schema, f).length > 0
  );
  if (field === undefined) return "binary";
  const out: Record<string, unknown> = {
    [field]: mediaValue(propertySchemas(schema, field), body.bytes, body.contentType),
  };
  for (const [k, v] of query) {
    if (k !== field) out[k] = typedText(v, propertySchemas(schema, k));
  }
  return out;
}

/**
 * A JSON body without its run options: Workers AI reads `options`
 * (`{ rejectIfBusy }`) beside the inputs and validates the inputs alone
 * (reference §3.1), so a body's `options` is checked here, not by the schema.
 */
function withoutRunOptions(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const { options, ...inputs } = value as Record<string, unknown>;
  if (options === undefined) return value;
  const o = options as Record<string, unknown>;
  const known = typeof o === "object" && o !== null && !Array.isArray(o) &&
    Object.keys(o).every((k) => k === "rejectIfBusy" && typeof o[k] === "boolean");
  if (!known) throw badInput("Field '/options' takes only { rejectIfBusy: boolean }");
  return inputs;
}

/** A FLUX.2 form's fields as its form table types them (numbers from their text). */
function formFields(schema: unknown, form: FormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    if (values.length > 1) throw badInput(`Field '/${key}' was sent ${values.length} times`);
    const v = values[0];
    fields[key] = typeof v === "string"
      ? typedText(v, propertySchemas(schema, key))
      : { name: v.name, type: v.type, size: v.size };
  }
  return fields;
}

/**
 * Judges one `/ai/run` request by its model's published input schema (and,
 * for FLUX.2, its form table). Throws the 5006 `ApiError` Workers AI answers
 * a violation with; does nothing for a model whose definition publishes no
 * input schema.
 */
export function judgeRequest(model: string, body: TaskBody, query: URLSearchParams): void {
  const schema = inputSchemaOf(model);
  if (schema === undefined) return;
  const value = judgedValue(schema, body, query);
  if (value === undefined) return;
  check(model, schema, value);
  const form = Object.hasOwn(FORM_SCHEMAS, model) ? FORM_SCHEMAS[model] : undefined;
  if (form !== undefined && body.kind === "form") {
    check(`form:${model}`, form, formFields(form, body.form));
  }
}

/** Whether a property schema describes a scalar (its shape on `/ai/v1` is then the same). */
function scalar(schema: Record<string, unknown>): boolean {
  const types = topLevels(schema).flatMap((s) => Array.isArray(s.type) ? s.type : [s.type]);
  return types.some((t) => typeof t === "string") &&
    types.every((t) => t === undefined || !["object", "array"].includes(t as string));
}

/**
 * Judges the scalar parameters of an `/ai/v1/chat/completions` body by the model's
 * published input: each top-level key the published schema has a scalar
 * property for (temperature, max_tokens, …) is validated against that
 * property (the first found over its branches). Objects and arrays (tools,
 * response_format) take their OpenAI shapes there, and are left to the caller.
 */
export function judgeParams(model: string, body: Record<string, unknown>): void {
  const schema = inputSchemaOf(model);
  if (schema === undefined) return;
  const properties: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (key === "messages" || key === "model") continue;
    const found = propertySchemas(schema, key)[0];
    if (found !== undefined && scalar(found)) properties[key] = found;
  }
  const keys = Object.keys(properties).sort();
  if (keys.length === 0) return;
  const picked = Object.fromEntries(keys.map((k) => [k, body[k]]));
  check(`params:${model}:${keys.join(",")}`, {
    type: "object",
    properties,
    additionalProperties: true,
  }, picked);
}
