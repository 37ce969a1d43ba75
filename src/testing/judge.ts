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
 * by the form table of `judge_tables.ts` (see `judge_values.ts`).
 *
 * Unknown top-level properties are refused (Cloudflare's validator is strict
 * there: flux-1-schnell answers `Additional or unevaluated properties
 * '/width, /height' at '/' not allowed`), although the published files omit
 * `additionalProperties: false`. Nested objects are judged as published (see
 * `judge_check.ts`, which also words the failures as Cloudflare does).
 *
 * @module
 */

import { PUBLISHED_SCHEMAS } from "../definitions/schemas.ts";
import { check } from "./judge_check.ts";
import { EXTRA_PROPERTIES, FORM_SCHEMAS, OWN_INPUT_SCHEMAS } from "./judge_tables.ts";
import { formFields, judgedValue, propertySchemas, scalar } from "./judge_values.ts";
import type { TaskBody } from "./task_contract.ts";
import { isObject } from "./util.ts";

/** Whether the emulator judges `/ai/run` requests by the published schemas. */
export type JudgeMode = "published" | "off";

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
