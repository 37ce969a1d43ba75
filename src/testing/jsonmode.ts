/**
 * JSON mode: `response_format` (native bare schema, or the OpenAI envelope)
 * and `guided_json` (which a model takes is its published schema's to say),
 * with the form the answer takes.
 *
 * @module
 */

import { ApiError, badInput } from "./errors.ts";
import { synthJson } from "./schema.ts";
import { isObject, typeName } from "./util.ts";

/** A JSON-mode answer to give. */
export interface JsonAnswer {
  /** The synthesised value. */
  value: unknown;
  /**
   * `string`: the JSON text (in `response` or `message.content`); `value`:
   * the value itself in `response` (an object, or a number for a numeric
   * schema).
   */
  form: "string" | "value";
}

/** The model whose REST answer carries JSON mode output as a JSON string. */
const STRING_RESPONSE_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

/** The refusal of JSON mode combined with `stream: true`. */
export function jsonStreamRefused(): ApiError {
  return new ApiError(400, 5006, "AiError: Bad input: JSON Mode does not support streaming");
}

/** The answer without a schema (`json_object`): the reply text under `answer`. */
function freeJson(reply: string): unknown {
  return { answer: reply };
}

function formatType(rf: unknown, allowed: readonly string[]): string {
  if (!isObject(rf)) {
    throw badInput(`Type mismatch of '/response_format', '${typeName(rf)}' not in 'object'`);
  }
  if (typeof rf.type !== "string" || !allowed.includes(rf.type)) {
    throw badInput(
      `Value ${JSON.stringify(rf.type ?? null)} at '/response_format/type' is not one of ` +
        allowed.map((a) => `'${a}'`).join(", "),
    );
  }
  return rf.type;
}

/**
 * The JSON answer a request asks for, or `undefined` when it asks for none.
 * Which keys a model accepts at all is checked before (unknown keys are 5006).
 *
 * @param openaiInput whether the body is an OpenAI Chat Completions body
 * @param completionShape whether the answer is a `chat.completion`
 * @param reply the text answer, used by `json_object` without a schema
 * @param userText the last user text (for `<property>=<word>`)
 */
export function parseJsonMode(
  body: Record<string, unknown>,
  model: string,
  openaiInput: boolean,
  completionShape: boolean,
  reply: string,
  userText: string,
): JsonAnswer | undefined {
  if (openaiInput) {
    if (body.response_format === undefined) return undefined;
    const rf = body.response_format as Record<string, unknown>;
    const type = formatType(rf, ["text", "json_object", "json_schema"]);
    if (type === "text") return undefined;
    if (type === "json_object") return { value: freeJson(reply), form: "string" };
    const env = rf.json_schema;
    if (!isObject(env)) {
      throw badInput("required properties at '/response_format' are 'json_schema'");
    }
    if (typeof env.name !== "string") {
      throw badInput("required properties at '/response_format/json_schema' are 'name'");
    }
    const value = env.schema === undefined ? freeJson(reply) : synthJson(env.schema, userText);
    return { value, form: "string" };
  }
  if (body.response_format !== undefined) {
    const rf = body.response_format as Record<string, unknown>;
    const type = formatType(rf, ["json_object", "json_schema"]);
    const schema = rf.json_schema;
    if (schema !== undefined && !isObject(schema)) {
      throw badInput(
        `Type mismatch of '/response_format/json_schema', '${typeName(schema)}' not in 'object'`,
      );
    }
    const value = type === "json_schema" && schema !== undefined
      ? synthJson(schema, userText)
      : freeJson(reply);
    const stringForm = completionShape ||
      (model === STRING_RESPONSE_MODEL && typeof value !== "number");
    return { value, form: stringForm ? "string" : "value" };
  }
  if (body.guided_json !== undefined) {
    if (!isObject(body.guided_json)) {
      throw badInput(
        `Type mismatch of '/guided_json', '${typeName(body.guided_json)}' not in 'object'`,
      );
    }
    return { value: synthJson(body.guided_json, userText), form: "string" };
  }
  return undefined;
}
