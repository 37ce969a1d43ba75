/**
 * Published model properties: a search result's `properties` list as the
 * snapshot keeps it (values normalized, prices, terms and info links
 * dropped), and the runtime facts read from a definition's properties
 * (flags, token counts, reasoning effort, deprecation). Web standards only.
 *
 * @module
 */
import type { JsonValue, PublishedModel, ReasoningEffortFacts } from "./types.ts";
import { isObject, toJson } from "./strip.ts";

/** Properties that are prose or prices, never facts: dropped from the snapshot. */
const DROPPED_PROPERTIES: ReadonlySet<string> = new Set(["price", "terms", "info"]);

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * One published property value as the snapshot keeps it: `"true"`/`"false"`
 * become booleans, numeric strings numbers, a string holding a JSON object
 * or array that value; anything else is kept as published.
 *
 * @example
 * ```ts
 * import { normalizePropertyValue } from "./property_facts.ts";
 *
 * normalizePropertyValue("true"); // true
 * normalizePropertyValue("131072"); // 131072
 * normalizePropertyValue("2026-01-01"); // "2026-01-01"
 * ```
 */
export function normalizePropertyValue(value: unknown): JsonValue {
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "true") return true;
    if (text === "false") return false;
    if (NUMBER.test(text) && Number.isFinite(Number(text))) return Number(text);
    if (/^[[{]/.test(text)) {
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return value;
      }
    }
    return value;
  }
  return toJson(value);
}

/**
 * A search result's `properties` list (`[{ property_id, value }]`) as the
 * snapshot's object, by property id, values normalized, prices, terms and
 * info links dropped.
 *
 * @example
 * ```ts
 * import { normalizeProperties } from "./property_facts.ts";
 *
 * normalizeProperties([
 *   { property_id: "beta", value: "true" },
 *   { property_id: "context_window", value: "24000" },
 *   { property_id: "terms", value: "https://example.com/terms" },
 * ]); // { beta: true, context_window: 24000 }
 * ```
 */
export function normalizeProperties(list: unknown): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list) {
    if (!isObject(entry) || typeof entry.property_id !== "string") continue;
    if (DROPPED_PROPERTIES.has(entry.property_id)) continue;
    out[entry.property_id] = normalizePropertyValue(entry.value);
  }
  return out;
}

function flag(props: Readonly<Record<string, JsonValue>>, key: string): boolean {
  const v = props[key];
  return v === true || v === "true";
}

function count(props: Readonly<Record<string, JsonValue>>, key: string): number | undefined {
  const v = props[key];
  const n = typeof v === "number" ? v : typeof v === "string" && NUMBER.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function reasoningEffort(value: JsonValue | undefined): ReasoningEffortFacts | undefined {
  if (Array.isArray(value)) {
    return { supported: value.filter((v): v is string => typeof v === "string") };
  }
  if (!isObject(value)) return undefined;
  const supported = Array.isArray(value.supported_efforts)
    ? value.supported_efforts.filter((v): v is string => typeof v === "string")
    : [];
  const facts: {
    supported: string[];
    default?: string;
    normalizesTo?: Record<string, string>;
    mandatory?: boolean;
    defaultEnabled?: boolean;
  } = { supported };
  if (typeof value.default_effort === "string") facts.default = value.default_effort;
  if (isObject(value.normalizes_to)) {
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(value.normalizes_to)) if (typeof v === "string") map[k] = v;
    facts.normalizesTo = map;
  }
  const mandatory = normalizePropertyValue(value.mandatory);
  if (typeof mandatory === "boolean") facts.mandatory = mandatory;
  const enabled = normalizePropertyValue(value.default_enabled);
  if (typeof enabled === "boolean") facts.defaultEnabled = enabled;
  return facts;
}

/**
 * The normalized properties of a definition (or of a live search result's
 * properties, once normalized): booleans default to `false`, numbers are
 * parsed, absent values are left out.
 *
 * @example
 * ```ts
 * import { propertyFacts } from "./property_facts.ts";
 *
 * const facts = propertyFacts({ function_calling: true, context_window: 131072 });
 * console.log(facts.functionCalling, facts.contextWindow, facts.vision); // true 131072 false
 * ```
 */
export function propertyFacts(
  props: Readonly<Record<string, JsonValue>>,
): Omit<PublishedModel, "task" | "listedInTypes" | "inputFields" | "variants" | "params"> {
  const deprecation = props.planned_deprecation_date;
  return {
    functionCalling: flag(props, "function_calling"),
    vision: flag(props, "vision"),
    reasoning: flag(props, "reasoning"),
    ...optional("reasoningEffort", reasoningEffort(props.reasoning_effort)),
    ...optional("contextWindow", count(props, "context_window")),
    ...optional("maxTotalTokens", count(props, "max_total_tokens")),
    ...optional("maxInputTokens", count(props, "max_input_tokens")),
    ...optional("outputDimensions", count(props, "output_dimensions")),
    lora: flag(props, "lora"),
    asyncQueue: flag(props, "async_queue"),
    realtime: flag(props, "realtime"),
    partner: flag(props, "partner"),
    requireWorkersPaid: flag(props, "require_workers_paid"),
    ...optional(
      "plannedDeprecationDate",
      typeof deprecation === "string" && deprecation ? deprecation : undefined,
    ),
    beta: flag(props, "beta"),
    deprecated: flag(props, "deprecated"),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
