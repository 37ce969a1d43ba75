/**
 * The emulator's Vectorize metadata filters, from Cloudflare's published
 * rules (reference §5.2): judging a filter, and matching a vector's
 * metadata against it. Only fields that had a metadata index when the
 * vector was written can match, as in Vectorize.
 *
 * @module
 */

import { ApiError } from "./errors.ts";
import { isObject } from "./util.ts";

const OPERATORS = new Set(["$eq", "$ne", "$in", "$nin", "$lt", "$lte", "$gt", "$gte"]);

const scalar = (v: unknown) =>
  v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number";

/** Refuses a filter Vectorize refuses (HTTP 400). */
export function judgeFilter(filter: unknown): Record<string, unknown> | undefined {
  if (filter === undefined) return undefined;
  const bad = (why: string) => new ApiError(400, 40003, `Invalid filter: ${why}`);
  if (!isObject(filter)) throw bad("filter must be an object");
  if (JSON.stringify(filter).length >= 2048) throw bad("filter exceeds 2048 bytes");
  for (const [key, value] of Object.entries(filter)) {
    if (
      key === "" || key.length > 512 || key.includes('"') || key.startsWith("$") ||
      key.split(".").some((s) => s === "")
    ) {
      throw bad(`invalid metadata key "${key}"`);
    }
    if (scalar(value)) continue;
    if (!isObject(value)) throw bad(`invalid value for "${key}"`);
    const ops = Object.keys(value);
    if (ops.length === 0) throw bad(`empty operator object for "${key}"`);
    for (const op of ops) {
      if (!OPERATORS.has(op)) throw bad(`unsupported operator "${op}"`);
      const v = value[op];
      if ((op === "$in" || op === "$nin") && !(Array.isArray(v) && v.every(scalar))) {
        throw bad(`${op} requires an array of scalars`);
      }
      if ((op === "$eq" || op === "$ne") && !scalar(v)) throw bad(`${op} requires a scalar`);
      if (op.startsWith("$l") || op.startsWith("$g")) {
        if (typeof v !== "string" && typeof v !== "number") {
          throw bad(`${op} requires a string or a number`);
        }
      }
    }
    if (
      (ops.includes("$lt") && ops.includes("$lte")) || (ops.includes("$gt") && ops.includes("$gte"))
    ) {
      throw bad(`only one upper and one lower bound per key ("${key}")`);
    }
  }
  return filter;
}

/** The value at a dotted path of metadata, or `undefined`. */
export function valueAt(metadata: Record<string, unknown> | undefined, path: string): unknown {
  let v: unknown = metadata;
  for (const part of path.split(".")) {
    if (!isObject(v)) return undefined;
    v = v[part];
  }
  return v;
}

/** A string index covers the first 64 bytes of a value (reference §5.2). */
function indexed(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const bytes = new TextEncoder().encode(v);
  return bytes.length <= 64
    ? v
    : new TextDecoder().decode(bytes.subarray(0, 64)).replace(/\uFFFD$/, "");
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function test(op: string, actual: unknown, operand: unknown): boolean {
  const a = actual === undefined ? null : actual;
  switch (op) {
    case "$eq":
      return a === indexed(operand);
    case "$ne":
      return a !== indexed(operand);
    case "$in":
      return (operand as unknown[]).some((o) => a === indexed(o));
    case "$nin":
      return !(operand as unknown[]).some((o) => a === indexed(o));
  }
  const c = compare(a, operand);
  if (c === undefined) return false;
  return op === "$lt" ? c < 0 : op === "$lte" ? c <= 0 : op === "$gt" ? c > 0 : c >= 0;
}

/**
 * Whether a vector's metadata matches a filter; `filterable` holds the
 * properties that had a metadata index when the vector was written.
 */
export function matchesFilter(
  filter: Record<string, unknown>,
  metadata: Record<string, unknown> | undefined,
  filterable: ReadonlySet<string>,
): boolean {
  for (const [key, cond] of Object.entries(filter)) {
    if (!filterable.has(key)) return false;
    const actual = indexed(valueAt(metadata, key));
    const ops = isObject(cond) ? Object.entries(cond) : [["$eq", cond] as const];
    for (const [op, operand] of ops) if (!test(op, actual, operand)) return false;
  }
  return true;
}
