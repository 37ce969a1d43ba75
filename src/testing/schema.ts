/**
 * Deterministic values synthesised from JSON Schemas: the arguments of tool
 * calls and the answers of JSON mode.
 *
 * @module
 */

import { isObject } from "./util.ts";

/**
 * `arguments`: tool-call arguments, where a property that is an array is `[]`
 * and one that is an object is `{}`. `json`: JSON-mode answers, where arrays
 * get one item (or `minItems`) and objects are filled recursively.
 */
type SynthMode = "arguments" | "json";

/** Nesting depth past which arrays are `[]` and objects `{}` (recursive schemas). */
const MAX_DEPTH = 12;

/** Keywords that make an object a JSON Schema rather than some other object. */
const SCHEMA_KEYWORDS = [
  "type",
  "properties",
  "items",
  "$ref",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "allOf",
  "additionalProperties",
] as const;

/** Whether an object has any JSON Schema keyword at its top level. */
function looksLikeSchema(value: Record<string, unknown>): boolean {
  return SCHEMA_KEYWORDS.some((k) => value[k] !== undefined);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The word given for a property in the user text as `<property>=<word>`:
 * the run of non-space characters after `=`, up to a `,` or `;`, without
 * trailing `.`, `:`, `!` or `?`.
 */
function givenWord(property: string, userText: string): string | undefined {
  const re = new RegExp(`(?:^|[^A-Za-z0-9_])${escapeRegExp(property)}=([^\\s,;]+)`);
  const m = re.exec(userText);
  if (!m) return undefined;
  const word = m[1].replace(/[.:!?]+$/, "");
  return word === "" ? undefined : word;
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(at) && !Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Follows `$ref`s (local JSON pointers such as `#/$defs/X`); an unknown ref is `{}`. */
function deref(schema: unknown, root: unknown): unknown {
  let s = schema;
  for (let hops = 0; hops < 32 && isObject(s) && typeof s.$ref === "string"; hops++) {
    const target = resolvePointer(root, s.$ref);
    const { $ref: _, ...rest } = s;
    s = isObject(target) ? { ...target, ...rest } : rest;
  }
  return s;
}

/** The type a schema describes: its `type` (first non-null one), or one implied by its keywords. */
function typeOf(s: Record<string, unknown>): string | undefined {
  if (typeof s.type === "string") return s.type;
  if (Array.isArray(s.type)) {
    const t = s.type.find((x) => x !== "null");
    return typeof t === "string" ? t : s.type.length > 0 ? "null" : undefined;
  }
  if (isObject(s.properties)) return "object";
  if (s.items !== undefined) return "array";
  return undefined;
}

function isNullSchema(s: unknown): boolean {
  return isObject(s) && (s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 &&
    s.type[0] === "null"));
}

function number(s: Record<string, unknown>, integer: boolean): number {
  let n = 1;
  const min = typeof s.minimum === "number"
    ? s.minimum
    : typeof s.exclusiveMinimum === "number"
    ? s.exclusiveMinimum + (integer ? 1 : 0.5)
    : undefined;
  const max = typeof s.maximum === "number"
    ? s.maximum
    : typeof s.exclusiveMaximum === "number"
    ? s.exclusiveMaximum - (integer ? 1 : 0.5)
    : undefined;
  if (min !== undefined && n < min) n = integer ? Math.ceil(min) : min;
  if (max !== undefined && n > max) n = integer ? Math.floor(max) : max;
  return n;
}

/** Context shared by one synthesis. */
interface Synth {
  mode: SynthMode;
  root: unknown;
  userText: string;
}

function value(cx: Synth, schema: unknown, name: string | undefined, depth: number): unknown {
  const s = deref(schema, cx.root);
  const str = () => {
    if (name === undefined) return "value";
    return givenWord(name, cx.userText) ?? `${name}-value`;
  };
  if (!isObject(s)) return str();
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const pick = branches.find((b) => !isNullSchema(deref(b, cx.root))) ?? branches[0];
      return value(cx, pick, name, depth + 1);
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const merged: Record<string, unknown> = { ...s, allOf: undefined };
    const props: Record<string, unknown> = {};
    for (const part of s.allOf) {
      const p = deref(part, cx.root);
      if (!isObject(p)) continue;
      if (isObject(p.properties)) Object.assign(props, p.properties);
      if (merged.type === undefined && p.type !== undefined) merged.type = p.type;
    }
    if (isObject(s.properties)) Object.assign(props, s.properties);
    if (Object.keys(props).length > 0) merged.properties = props;
    return value(cx, merged, name, depth + 1);
  }
  switch (typeOf(s)) {
    case "integer":
      return number(s, true);
    case "number":
      return number(s, false);
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      if (cx.mode === "arguments" && depth > 0) return [];
      if (depth >= MAX_DEPTH) return [];
      const count = Math.max(1, typeof s.minItems === "number" ? s.minItems : 1);
      const items = Array.isArray(s.prefixItems) ? undefined : s.items;
      return Array.from({ length: count }, () => value(cx, items, name, depth + 1));
    }
    case "object": {
      if (cx.mode === "arguments" && depth > 0) return {};
      if (depth >= MAX_DEPTH) return {};
      const out: Record<string, unknown> = {};
      const props = isObject(s.properties) ? s.properties : {};
      for (const [key, sub] of Object.entries(props)) out[key] = value(cx, sub, key, depth + 1);
      return out;
    }
    default:
      return str();
  }
}

/**
 * The arguments of a tool call: every property of the tool's `parameters`
 * filled in (strings `"<property>-value"` or the word given as
 * `<property>=<word>` in the user text, numbers and integers `1`, booleans
 * `true`, the first `enum` value, arrays `[]`, objects `{}`).
 */
export function synthArguments(parameters: unknown, userText: string): Record<string, unknown> {
  const s = deref(parameters, parameters);
  if (!isObject(s) || !isObject(s.properties)) return {};
  const out = value({ mode: "arguments", root: parameters, userText }, s, undefined, 0);
  return isObject(out) ? out : {};
}

/**
 * A JSON value following `schema` (see {@linkcode synthArguments}; here arrays
 * hold one item and objects are filled recursively). An object that has no
 * schema keyword at all, such as an OpenAI `{name, schema, strict}` envelope
 * sent where a bare schema belongs, is misread the way a model would: as the
 * shape of the answer itself, each of its keys filled after the type of its
 * value (strings `"<key>-value"`, numbers `1`, booleans `true`, arrays `[]`,
 * objects `{}`).
 */
export function synthJson(schema: unknown, userText: string): unknown {
  if (isObject(schema) && !looksLikeSchema(schema)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(schema)) {
      out[key] = typeof v === "string"
        ? `${key}-value`
        : typeof v === "number"
        ? 1
        : typeof v === "boolean"
        ? true
        : Array.isArray(v)
        ? []
        : isObject(v)
        ? {}
        : null;
    }
    return out;
  }
  return value({ mode: "json", root: schema, userText }, schema, undefined, 0);
}
