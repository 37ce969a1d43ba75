/**
 * Checks shared by the tasks, refusing what the models' strict JSON schemas
 * refuse, with the validator's wording.
 *
 * @module
 */

import { type ApiError, badInput } from "./errors.ts";
import type { TaskBody } from "./task_contract.ts";
import { isObject } from "./util.ts";

/**
 * The JSON value of a body, for a model whose input is a JSON object. A form
 * or raw bytes is, to that schema, a string where an object belongs: 5006.
 */
export function jsonInput(body: TaskBody): unknown {
  if (body.kind === "json") return body.value;
  throw badInput("Type mismatch of '/', 'string' not in 'object'");
}

/** The 5006 refusal of top-level properties the schema does not have. */
export function additionalProperties(keys: readonly string[]): ApiError {
  return badInput(
    `Additional or unevaluated properties '${
      keys.map((k) => `/${k}`).join(", ")
    }' at '/' not allowed`,
  );
}

/** Refuses top-level properties outside `allowed`. */
export function refuseExtraKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw additionalProperties(extra);
}

/** A `string | string[]` property of non-empty strings, at most `maxItems` of them. */
export function stringList(value: unknown, path: string, maxItems: number): string[] {
  const items = typeof value === "string" ? [value] : value;
  if (!Array.isArray(items)) {
    throw badInput(`Type mismatch of '${path}', '${typeof value}' not in 'string, array'`);
  }
  if (items.length > maxItems) {
    throw badInput(
      `Array at '${path}' has ${items.length} items, more than maxItems ${maxItems}`,
    );
  }
  items.forEach((t, i) => {
    const p = typeof value === "string" ? path : `${path}/${i}`;
    if (typeof t !== "string") {
      throw badInput(`Type mismatch of '${p}', '${typeof t}' not in 'string'`);
    }
    if (t.length < 1) throw badInput(`String at '${p}' is shorter than minLength 1`);
  });
  return items as string[];
}

/** The texts of `contexts: [{text}]`. */
export function contextTexts(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw badInput(`Type mismatch of '/contexts', '${typeof value}' not in 'array'`);
  }
  return value.map((c, i) => {
    if (!isObject(c) || typeof c.text !== "string") {
      throw badInput(`required properties at '/contexts/${i}' are 'text'`);
    }
    return c.text;
  });
}
