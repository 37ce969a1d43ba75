/**
 * The emulator's judge (`judge.ts`) at work: a schema compiled once per key
 * with a real JSON Schema validator, and its failures written as Workers AI
 * writes them in a 5006 (`AiError: Bad input: Error: …` naming the failing
 * path; of each branch of a failed `oneOf` / `anyOf`, one reason).
 *
 * Unknown top-level properties are refused (Cloudflare's validator is strict
 * there: flux-1-schnell answers `Additional or unevaluated properties
 * '/width, /height' at '/' not allowed`), although the published files omit
 * `additionalProperties: false`. Nested objects are judged as published.
 *
 * @module
 */

import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";
import { badInput } from "./errors.ts";
import { branchesOf } from "./judge_values.ts";
import { isObject } from "./util.ts";

/** A compiled validator and the (closed) schema it validates with. */
interface Compiled {
  validator: Validator;
  schema: unknown;
}

/** Compiled validators by model id (and `form:` + id for FLUX.2's form fields). */
const compiled = new Map<string, Compiled>();

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

/**
 * Validates `instance` against a schema, throwing the 5006 Workers AI answers.
 * The schema is compiled once per `key` (its top level closed, see the module doc).
 *
 * @example
 * ```ts
 * import { check } from "./judge_check.ts";
 *
 * const schema = { type: "object", properties: { steps: { type: "integer", maximum: 8 } } };
 * check("example", schema, { steps: 4 }); // passes
 * try {
 *   check("example", schema, { steps: 9 });
 * } catch (e) {
 *   console.log((e as Error).message); // … Value 9 at '/steps' is greater than maximum 8
 * }
 * ```
 */
export function check(key: string, schema: unknown, instance: unknown): void {
  const c = validatorFor(key, schema);
  const result = c.validator.validate(instance);
  if (!result.valid) throw badInput(describeFailure(result.errors, c.schema));
}
