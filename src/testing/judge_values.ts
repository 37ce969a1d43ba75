/**
 * What the emulator's judge (`judge.ts`) validates a request as: the top
 * level of a published input schema (its `oneOf` / `anyOf` branches and the
 * schemas a property has across them), and the JSON a request body stands
 * for by that schema. A JSON body is judged as sent (its run `options`
 * apart); raw bytes as the schema's binary string, or as its `audio` /
 * `image` field (with a nova-3 style query string as the other fields); a
 * FLUX.2 multipart form as `{ multipart: { body, contentType } }`, and its
 * fields, typed from their text, by the form table of `judge_tables.ts`.
 *
 * @module
 */

import { badInput } from "./errors.ts";
import type { TaskBody } from "./task_contract.ts";
import { isObject } from "./util.ts";

/**
 * The branches of a schema's top-level `oneOf` / `anyOf`, if any.
 *
 * @example
 * ```ts
 * import { branchesOf } from "./judge_values.ts";
 *
 * branchesOf({ oneOf: [{ required: ["prompt"] }, { required: ["messages"] }] }).length; // 2
 * ```
 */
export function branchesOf(s: Record<string, unknown>): unknown[] {
  return [
    ...(Array.isArray(s.oneOf) ? s.oneOf : []),
    ...(Array.isArray(s.anyOf) ? s.anyOf : []),
  ];
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

/**
 * The schemas a top-level property has across the branches.
 *
 * @example
 * ```ts
 * import { propertySchemas } from "./judge_values.ts";
 *
 * propertySchemas({
 *   oneOf: [
 *     { properties: { prompt: { type: "string" } } },
 *     { properties: { prompt: { type: "array" } } },
 *   ],
 * }, "prompt"); // [{ type: "string" }, { type: "array" }]
 * ```
 */
export function propertySchemas(schema: unknown, name: string): Record<string, unknown>[] {
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
 *
 * @example
 * ```ts
 * import { judgedValue } from "./judge_values.ts";
 *
 * const schema = { type: "object", properties: { text: { type: "string" } } };
 * judgedValue(schema, { kind: "json", value: { text: "hi" } }, new URLSearchParams());
 * // { text: "hi" }
 * ```
 */
export function judgedValue(schema: unknown, body: TaskBody, query: URLSearchParams): unknown {
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

/**
 * A FLUX.2 form's fields as its form table types them (numbers from their text).
 *
 * @example
 * ```ts
 * import { formFields } from "./judge_values.ts";
 *
 * const form = new FormData();
 * form.set("steps", "4");
 * formFields({ type: "object", properties: { steps: { type: "integer" } } }, form);
 * // { steps: 4 }
 * ```
 */
export function formFields(schema: unknown, form: FormData): Record<string, unknown> {
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
 * Whether a property schema describes a scalar (its shape on `/ai/v1` is then the same).
 *
 * @example
 * ```ts
 * import { scalar } from "./judge_values.ts";
 *
 * scalar({ type: "number", minimum: 0 }); // true
 * scalar({ type: "array", items: { type: "object" } }); // false
 * ```
 */
export function scalar(schema: Record<string, unknown>): boolean {
  const types = topLevels(schema).flatMap((s) => Array.isArray(s.type) ? s.type : [s.type]);
  return types.some((t) => typeof t === "string") &&
    types.every((t) => t === undefined || !["object", "array"].includes(t as string));
}
