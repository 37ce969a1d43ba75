/**
 * Vectorize metadata filters, checked before any request against the rules
 * Cloudflare publishes (reference §5.2): the operators, their operand types,
 * the key grammar, one bound of each side per range, and the size limit.
 *
 * @module
 */
import { invalidArgument } from "../errors.ts";

/** A scalar a filter compares with. */
export type FilterScalar = string | number | boolean | null;

/**
 * A Vectorize metadata filter: `{ key: value }` (implicit `$eq`) or
 * `{ key: { $op: operand } }`; several keys must all match; a dotted key
 * names a nested field.
 *
 * @example
 * ```ts
 * import type { VectorizeFilter } from "@x/cloudflare-ai";
 *
 * const filter: VectorizeFilter = {
 *   lang: "en",
 *   year: { $gte: 2020, $lt: 2025 },
 *   "source.kind": { $in: ["manual", "faq"] },
 * };
 * ```
 */
export type VectorizeFilter = Record<
  string,
  FilterScalar | {
    $eq?: FilterScalar;
    $ne?: FilterScalar;
    $in?: FilterScalar[];
    $nin?: FilterScalar[];
    $lt?: string | number;
    $lte?: string | number;
    $gt?: string | number;
    $gte?: string | number;
  }
>;

/** Every operator Vectorize filters take. */
export const FILTER_OPERATORS: readonly string[] = [
  "$eq",
  "$ne",
  "$in",
  "$nin",
  "$lt",
  "$lte",
  "$gt",
  "$gte",
];

/** The longest filter, as compact JSON, Vectorize takes (it must be under 2048 bytes). */
const MAX_FILTER_BYTES = 2047;

const isScalar = (v: unknown): v is FilterScalar =>
  v === null || typeof v === "string" || typeof v === "boolean" ||
  (typeof v === "number" && Number.isFinite(v));

/** Refuses a filter Vectorize would refuse; returns it unchanged. */
export function checkFilter(filter: unknown, where: string): VectorizeFilter | undefined {
  if (filter === undefined) return undefined;
  const bad = (why: string) =>
    invalidArgument(
      `${where}: the filter ${why}. Vectorize filters are { key: value } or ` +
        `{ key: { $op: value } } with $op one of ${FILTER_OPERATORS.join(", ")}.`,
    );
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw bad("must be an object");
  }
  for (const [key, value] of Object.entries(filter)) {
    checkKey(key, where);
    if (isScalar(value)) continue;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw bad(`value of "${key}" must be a string, number, boolean, null or an operator object`);
    }
    const ops = Object.entries(value);
    if (ops.length === 0) throw bad(`"${key}" has an empty operator object`);
    for (const [op, operand] of ops) {
      if (!FILTER_OPERATORS.includes(op)) {
        throw bad(`"${key}" uses the unknown operator ${JSON.stringify(op)}`);
      }
      if (op === "$eq" || op === "$ne") {
        if (!isScalar(operand)) throw bad(`${op} of "${key}" must be a scalar`);
      } else if (op === "$in" || op === "$nin") {
        if (!Array.isArray(operand) || operand.length === 0 || !operand.every(isScalar)) {
          throw bad(`${op} of "${key}" must be a non-empty array of scalars`);
        }
      } else if (
        typeof operand !== "string" && !(typeof operand === "number" && Number.isFinite(operand))
      ) {
        throw bad(`${op} of "${key}" must be a string or a number`);
      }
    }
    const names = ops.map(([op]) => op);
    if (names.includes("$lt") && names.includes("$lte")) {
      throw bad(`"${key}" has two upper bounds ($lt and $lte); keep one`);
    }
    if (names.includes("$gt") && names.includes("$gte")) {
      throw bad(`"${key}" has two lower bounds ($gt and $gte); keep one`);
    }
  }
  const bytes = new TextEncoder().encode(JSON.stringify(filter)).length;
  if (bytes > MAX_FILTER_BYTES) {
    throw bad(`is ${bytes} bytes as JSON; Vectorize takes less than 2048`);
  }
  return filter as VectorizeFilter;
}

/**
 * Refuses a metadata key Vectorize cannot filter on: empty, longer than 512
 * characters, with `"`, opening with `$`, or with an empty dotted segment.
 */
export function checkKey(key: string, where: string): void {
  const why = key === ""
    ? "is empty"
    : key.length > 512
    ? "is longer than 512 characters"
    : key.includes('"')
    ? 'contains "'
    : key.startsWith("$")
    ? 'starts with "$"'
    : key.split(".").some((s) => s === "")
    ? 'has an empty segment between "."'
    : undefined;
  if (why) {
    throw invalidArgument(
      `${where}: the metadata key ${JSON.stringify(key.slice(0, 80))} ${why}; Vectorize ` +
        'refuses such keys (non-empty, at most 512 characters, no ", not starting with $, "." only between nested names).',
    );
  }
}
