/**
 * Option tables: the config keys a model takes, each with its wire name, its
 * type and documented range or values. From one table come the model's
 * config schema (only its own keys, shown in the Developer UI) and the check
 * that refuses anything else before a request. The speech families use it;
 * their models take many flat options of simple types.
 *
 * @module
 */
import { z } from "genkit";
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
      if (o.min !== undefined) n = n.min(o.min);
      if (o.max !== undefined) n = n.max(o.max);
      s = n;
    }
  }
  return s.describe(o.description).optional();
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
      if (o.min !== undefined && o.max !== undefined) return `${what} from ${o.min} to ${o.max}`;
      if (o.min !== undefined) return `${what} of at least ${o.min}`;
      if (o.max !== undefined) return `${what} of at most ${o.max}`;
      return what;
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
        (o.min === undefined || v >= o.min) && (o.max === undefined || v <= o.max);
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
  const taken = options.map((o) => o.key);
  for (const [key, value] of Object.entries(config)) {
    // `version` was refused by configObject unless undefined.
    if (value === undefined || key === "version") continue;
    const o = options.find((x) => x.key === key);
    if (!o) {
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
