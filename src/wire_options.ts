/**
 * Option tables: the config keys a model takes, each with its wire name, its
 * type and published range or values. From one table come the model's config
 * schema (only its own keys, shown in the Developer UI) and the check that
 * refuses anything else before a request: every family's config goes through
 * it. {@link publishedOptions} makes a model's table from its published
 * definition: a family names its config vocabulary once (key, wire name,
 * description), and a model takes exactly the names its published input
 * schema has, with the published types, ranges, values and defaults.
 *
 * @module
 */
import { z } from "genkit";
import { publishedModel } from "./definitions/mod.ts";
import type { PublishedParam } from "./definitions/types.ts";
import { invalidArgument as invalid } from "./errors.ts";

/** One config key of a model. */
export interface WireOption {
  /** The camelCase config key. */
  key: string;
  /** The name Workers AI takes it under. */
  wire: string;
  /** Its type: `strings` takes one string or several (sent as repeated query keys). */
  kind: "boolean" | "string" | "strings" | "number" | "int" | "enum";
  /** The values an `enum` takes. */
  values?: readonly string[];
  /** Smallest value of a number. */
  min?: number;
  /** Largest value of a number. */
  max?: number;
  /** Whether `min` itself is refused (a published `exclusiveMinimum`). */
  minExclusive?: boolean;
  /** Whether `max` itself is refused (a published `exclusiveMaximum`). */
  maxExclusive?: boolean;
  /** The value the model uses when the option is not sent, where published. */
  default?: unknown;
  /** What a string must look like, with how to say so. */
  pattern?: { test: RegExp; means: string };
  /** What it does (shown in the Developer UI). */
  description: string;
}

/** An option's zod schema. */
function optionSchema(o: WireOption): z.ZodTypeAny {
  let s: z.ZodTypeAny;
  switch (o.kind) {
    case "boolean":
      s = z.boolean();
      break;
    case "enum":
      s = z.enum(o.values as [string, ...string[]]);
      break;
    case "string":
    case "strings": {
      let str = z.string().min(1);
      if (o.pattern) str = str.regex(o.pattern.test);
      s = o.kind === "string" ? str : z.union([str, z.array(str).min(1)]);
      break;
    }
    default: {
      let n = o.kind === "int" ? z.number().int() : z.number();
      if (o.min !== undefined) n = o.minExclusive ? n.gt(o.min) : n.min(o.min);
      if (o.max !== undefined) n = o.maxExclusive ? n.lt(o.max) : n.max(o.max);
      s = n;
    }
  }
  const fallback = o.default === undefined ? "" : ` (default ${JSON.stringify(o.default)})`;
  return s.describe(`${o.description}${fallback}`).optional();
}

/** The config schema of a model taking `options`: those keys only, each with its range. */
export function optionsSchema(options: readonly WireOption[]): z.ZodTypeAny {
  return z.object(Object.fromEntries(options.map((o) => [o.key, optionSchema(o)]))).strict();
}

/** What a value of an option must be, for messages. */
function expected(o: WireOption): string {
  switch (o.kind) {
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${o.values!.map((v) => JSON.stringify(v)).join(", ")}`;
    case "string":
      return o.pattern ? o.pattern.means : "a non-empty string";
    case "strings":
      return `${o.pattern ? o.pattern.means : "a non-empty string"}, or an array of them`;
    default: {
      const what = o.kind === "int" ? "a whole number" : "a number";
      const low = o.min === undefined ? "" : `${o.minExclusive ? "above" : "at least"} ${o.min}`;
      const high = o.max === undefined ? "" : `${o.maxExclusive ? "below" : "at most"} ${o.max}`;
      if (low && high && !o.minExclusive && !o.maxExclusive) {
        return `${what} from ${o.min} to ${o.max}`;
      }
      return [what, [low, high].filter(Boolean).join(" and ")].filter(Boolean).join(" ");
    }
  }
}

function valid(o: WireOption, v: unknown): boolean {
  const text = (s: unknown) =>
    typeof s === "string" && s !== "" && (!o.pattern || o.pattern.test.test(s));
  switch (o.kind) {
    case "boolean":
      return typeof v === "boolean";
    case "enum":
      return typeof v === "string" && o.values!.includes(v);
    case "string":
      return text(v);
    case "strings":
      return text(v) || (Array.isArray(v) && v.length > 0 && v.every(text));
    default:
      return typeof v === "number" && Number.isFinite(v) &&
        (o.kind !== "int" || Number.isInteger(v)) &&
        (o.min === undefined || (o.minExclusive ? v > o.min : v >= o.min)) &&
        (o.max === undefined || (o.maxExclusive ? v < o.max : v <= o.max));
  }
}

/**
 * The plain object of a request's config, or a refusal naming the model:
 * what every family checks first. Genkit spreads a config into an object,
 * so a string or an array arrives as keys "0", "1", …; `apiKey` is refused
 * because Genkit records config in its traces, where a token must never
 * appear; a set `version` because Workers AI models have none (Genkit always
 * passes the reference's, undefined unless one was set).
 */
export function configObject(model: string, config: unknown): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  const proto = typeof config === "object" ? Object.getPrototypeOf(config) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw invalid(
      `The config for ${model} must be an object of named parameters, not ${
        Array.isArray(config) ? "an array" : `a ${typeof config}`
      }.`,
    );
  }
  const c = config as Record<string, unknown>;
  const numbered = Object.keys(c).find((k) => /^\d+$/.test(k) && c[k] !== undefined);
  if (numbered !== undefined) {
    throw invalid(
      `The config for ${model} must be an object of named parameters, but it has the key ` +
        `"${numbered}": a string or an array was given as config.`,
    );
  }
  if (c.apiKey !== undefined) {
    throw invalid(
      `config.apiKey is not accepted by ${model}: Genkit records config in its traces, where ` +
        "an API token must not appear. Pass apiToken to cloudflareAI() (or another plugin " +
        "instance) instead.",
    );
  }
  if (c.version !== undefined) {
    throw invalid(
      `config.version is not accepted by ${model}: Workers AI models have no versions. ` +
        "Name the model id you want instead.",
    );
  }
  return c;
}

/**
 * Checks `config` against a model's options (Genkit does not validate
 * config) and returns the wire values of those set. A key the model does
 * not take, or a value out of its range, is refused with `INVALID_ARGUMENT`
 * naming the model; `notes` adds a reason for keys refused for a known cause.
 */
export function wireValues(
  model: string,
  options: readonly WireOption[],
  config: Record<string, unknown>,
  notes: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in config) {
    if (!Object.hasOwn(config, key)) continue;
    const value = config[key];
    // `version` was refused by configObject unless undefined.
    if (value === undefined || key === "version") continue;
    const o = options.find((x) => x.key === key);
    if (!o) {
      const taken = options.map((x) => x.key);
      const takes = taken.length === 0
        ? "it takes no config options"
        : `it takes ${taken.join(", ")}`;
      throw invalid(
        `config.${key} is not supported by ${model}: ${notes[key] ?? takes}. Remove it.`,
      );
    }
    if (!valid(o, value)) {
      throw invalid(
        `config.${key} = ${JSON.stringify(value)} is not valid for ${model}: it must be ` +
          `${expected(o)}.`,
      );
    }
    out[o.wire] = value;
  }
  return out;
}

/** A config key of a family: the wire name it is sent as, and what it does. */
export interface OptionName {
  /** The camelCase config key. */
  key: string;
  /** The name of the field in the published input schema (and on the wire). */
  wire: string;
  /** What it does (shown in the Developer UI). */
  description: string;
  /** What a string must look like, with how to say so. */
  pattern?: { test: RegExp; means: string };
}

/** The {@link WireOption} of a published scalar parameter. */
export function fromPublished(name: OptionName, p: PublishedParam): WireOption {
  const base = { key: name.key, wire: name.wire, description: name.description };
  const fallback = p.default === undefined || p.default === null ? {} : { default: p.default };
  if (p.enum && p.enum.every((v) => typeof v === "string")) {
    return { ...base, ...fallback, kind: "enum", values: p.enum as string[] };
  }
  if (p.type === "boolean") return { ...base, ...fallback, kind: "boolean" };
  if (p.type === "string") {
    return {
      ...base,
      ...fallback,
      kind: "string",
      ...(name.pattern ? { pattern: name.pattern } : {}),
    };
  }
  const o: WireOption = { ...base, ...fallback, kind: p.type === "integer" ? "int" : "number" };
  if (p.exclusiveMinimum !== undefined) {
    Object.assign(o, { min: p.exclusiveMinimum, minExclusive: true });
  } else if (p.minimum !== undefined) o.min = p.minimum;
  if (p.exclusiveMaximum !== undefined) {
    Object.assign(o, { max: p.exclusiveMaximum, maxExclusive: true });
  } else if (p.maximum !== undefined) o.max = p.maximum;
  return o;
}

/**
 * The options model `id` takes: those of its family's `names` whose wire
 * name its published input schema has, with the published type, range,
 * values and default, in the order of `names`. An id with no published
 * definition takes none of them (its family says what it takes instead).
 */
export function publishedOptions(id: string, names: readonly OptionName[]): WireOption[] {
  const params = publishedModel(id)?.params ?? {};
  return names.flatMap((
    n,
  ) => (Object.hasOwn(params, n.wire) ? [fromPublished(n, params[n.wire])] : []));
}
