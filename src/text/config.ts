/**
 * Text-generation config: the camelCase keys Genkit callers set, and from
 * each model's option table (its published parameters, see `derive.ts`)
 * both its config schema and the check that runs before any request.
 *
 * @module
 */
import { z } from "genkit";
import { invalidArgument as invalid } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import { configObject, optionsSchema, type WireOption, wireValues } from "../wire_options.ts";
import { TEXT_MODELS, type TextModelSpec } from "./catalog.ts";
import { SAMPLING, textOptions } from "./derive.ts";

/**
 * Config of Workers AI text models (camelCase, as Genkit's common config).
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type TextConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const config: TextConfig = { temperature: 0.2, maxOutputTokens: 512, seed: 42 };
 * const model = cloudflareAI.model("@cf/meta/llama-3.3-70b-instruct-fp8-fast", config);
 * const { text } = await ai.generate({ model, prompt: "Who was Ada Lovelace?" });
 * // OpenAI-format models also take reasoningEffort.
 * const quick = cloudflareAI.model("@cf/openai/gpt-oss-120b", { reasoningEffort: "low" });
 * ```
 */
export interface TextConfig {
  /** Sampling temperature; the range is the model's published one (e.g. 0-5 native, 0-2 OpenAI-format). */
  temperature?: number;
  /** Most tokens to generate (`max_tokens`); the default is the model's published one (256 or 2000 on native models). */
  maxOutputTokens?: number;
  /** Top-k sampling (`top_k`, native models). */
  topK?: number;
  /** Nucleus sampling (`top_p`). */
  topP?: number;
  /** Stop sequences: sent as `stop` where the model takes it, applied by the plugin otherwise. */
  stopSequences?: string[];
  /** Random seed for reproducible sampling. */
  seed?: number;
  /** Penalty for repeated tokens (`repetition_penalty`, native models). */
  repetitionPenalty?: number;
  /** Penalty growing with a token's frequency so far (`frequency_penalty`). */
  frequencyPenalty?: number;
  /** Penalty for tokens that appeared at all so far (`presence_penalty`). */
  presencePenalty?: number;
  /** Send the prompt without the chat template (native models). */
  raw?: boolean;
  /** A LoRA adapter (fine-tune) id or name, for models that take one. */
  lora?: string;
  /**
   * How much the model thinks before answering (`reasoning_effort`): one of
   * the efforts the model's definition publishes (most take low, medium and
   * high; some also max or none, only where published).
   */
  reasoningEffort?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | "auto";
  /**
   * Refused: Genkit records a request's config in its traces, so a token put
   * here would be written there. Give the token to `cloudflareAI()` instead.
   */
  apiKey?: never;
  /**
   * Refused when set: Workers AI models have no versions. Genkit always
   * passes the model reference's version here, so an undefined one is accepted.
   */
  version?: undefined;
  /**
   * Any other key that names a field of the model's published input is sent
   * verbatim (e.g. `chat_template_kwargs`); one it does not name is refused,
   * as is a body field the plugin builds itself (`messages`, `stream`,
   * `tools`, `response_format`, …) or the wire name of a parameter above
   * (`max_tokens`, `top_k`, …), naming what to use.
   */
  [key: string]: unknown;
}

const stopSequences = z.array(z.string())
  .describe(
    "Stop sequences: sent as stop where the model takes it, applied by the plugin otherwise.",
  )
  .optional();

/** The family's keys with no model's ranges: what a reference made before the model is known shows. */
const COMMON_OPTIONS: readonly WireOption[] = [
  ...SAMPLING.map((n): WireOption => ({
    ...n,
    kind: ["maxOutputTokens", "topK", "seed"].includes(n.key) ? "int" : "number",
  })),
  {
    key: "raw",
    wire: "raw",
    kind: "boolean",
    description: "Send the prompt without the chat template.",
  },
  {
    key: "lora",
    wire: "lora",
    kind: "string",
    description: "A LoRA adapter (fine-tune) id or name.",
  },
  {
    key: "reasoningEffort",
    wire: "reasoning_effort",
    kind: "enum",
    values: [...new Set(TEXT_MODELS.flatMap((m) => m.efforts))],
    description: "How much the model thinks before answering (the model's published efforts).",
  },
];

/**
 * Config schema of every Workers AI text model: the family's keys, checked
 * against each model's published ranges before any request; other keys that
 * name a field of the model's published input are sent verbatim.
 *
 * @example
 * ```ts
 * import { TextConfigSchema } from "@x/cloudflare-ai";
 * TextConfigSchema.parse({ temperature: 0.2, maxOutputTokens: 200, seed: 7 });
 * ```
 */
export const TextConfigSchema: ZodSchema = (optionsSchema(COMMON_OPTIONS) as z.AnyZodObject)
  .extend({ stopSequences }).passthrough();

/** The config keys of the family's option tables. */
const OPTION_KEYS: ReadonlySet<string> = new Set(COMMON_OPTIONS.map((o) => o.key));
/** Keys the plugin handles itself, never sent verbatim. */
export const HANDLED: ReadonlySet<string> = new Set([
  ...OPTION_KEYS,
  "stopSequences",
  "version",
  "apiKey",
]);
/**
 * Wire names of the validated parameters, refused as config keys: one name per
 * parameter is the simplest rule, and the camelCase key gets the range check.
 */
const WIRE_TWINS: ReadonlyMap<string, string> = new Map([
  ...SAMPLING.filter((p) => p.wire !== p.key).map((p) => [p.wire, p.key] as const),
  ["max_completion_tokens", "maxOutputTokens"],
  ["reasoning_effort", "reasoningEffort"],
]);
/**
 * Body fields the plugin builds from the request, each with what to use
 * instead: a config key of the same name would replace what was built.
 */
const BUILT_FIELDS: ReadonlyMap<string, string> = new Map([
  ["messages", "the request's messages, system and prompt"],
  ["prompt", "the request's prompt"],
  ["image", "a media part in the user message"],
  ["stream", "generateStream() to stream, generate() not to"],
  ["stream_options", "generateStream(), which asks for usage itself"],
  ["tools", "the request's tools"],
  ["tool_choice", "the request's toolChoice"],
  ["functions", "the request's tools"],
  ["response_format", 'the request\'s output ({ format: "json", schema })'],
  ["guided_json", 'the request\'s output ({ format: "json", schema })'],
  ["stop", "config.stopSequences"],
]);

const schemaCache = new WeakMap<TextModelSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the options it takes, with its published ranges. */
export function configSchemaFor(spec: TextModelSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (!schema) {
    schema = (optionsSchema(textOptions(spec)) as z.AnyZodObject).extend({ stopSequences });
    schemaCache.set(spec, schema);
  }
  return schema;
}

/** Each model's refusal notes, made once: they are handed to every request's check. */
const notesCache = new WeakMap<TextModelSpec, Record<string, string>>();

/** Why a family key the model does not take is refused. */
function refusalNotes(spec: TextModelSpec): Record<string, string> {
  let notes = notesCache.get(spec);
  if (!notes) {
    notes = makeRefusalNotes(spec);
    notesCache.set(spec, notes);
  }
  return notes;
}

function makeRefusalNotes(spec: TextModelSpec): Record<string, string> {
  if (spec.schemaless) {
    const why = "no input schema is published for it, so no parameter is sent";
    return Object.fromEntries([...OPTION_KEYS].map((k) => [k, why]));
  }
  const notes: Record<string, string> = {};
  for (const o of COMMON_OPTIONS) {
    const wire = o.key === "maxOutputTokens" ? "max_tokens or max_completion_tokens" : o.wire;
    notes[o.key] = `its published input has no ${wire} field`;
  }
  // Only consulted when the model does not take the key.
  notes.lora = "its definition lists no LoRA adapters with a lora field. Use a LoRA base model " +
    "such as @cf/mistral/mistral-7b-instruct-v0.2-lora";
  if (spec.reasoning) {
    notes.reasoningEffort = "its published input has no reasoning_effort field: its reasoning " +
      "cannot be tuned";
  }
  return notes;
}

/**
 * Checks a request's config against the model's option table (its published
 * parameters, ranges and values; Genkit does not validate config) and
 * returns it typed. Keys outside the table must name a published input
 * field to be sent verbatim.
 */
export function validateConfig(spec: TextModelSpec, config: unknown): TextConfig {
  const c = configObject(spec.id, config);
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (OPTION_KEYS.has(k)) own[k] = v;
    else if (!HANDLED.has(k) && v !== undefined) checkPassthrough(spec, k);
  }
  wireValues(spec.id, textOptions(spec), own, refusalNotes(spec));
  const stops = c.stopSequences;
  if (stops !== undefined && (!Array.isArray(stops) || stops.some((s) => typeof s !== "string"))) {
    throw invalid(`config.stopSequences for ${spec.id} must be an array of strings.`);
  }
  return c as TextConfig;
}

/**
 * Refuses a config key that would be sent verbatim but collides with what
 * the plugin builds or validates, or that the model's published input does
 * not name.
 */
function checkPassthrough(spec: TextModelSpec, k: string): void {
  const twin = WIRE_TWINS.get(k);
  if (twin) {
    throw invalid(
      `config.${k} is not accepted by ${spec.id}: use config.${twin}, which is checked ` +
        "against the model's published range before it is sent.",
    );
  }
  const instead = BUILT_FIELDS.get(k);
  if (instead) {
    throw invalid(
      `config.${k} is not accepted by ${spec.id}: the plugin builds ${k} itself. ` +
        `Use ${instead} instead.`,
    );
  }
  if (!spec.fields.includes(k)) {
    throw invalid(
      `config.${k} is not supported by ${spec.id}: its published input has no ${k} field` +
        `${spec.schemaless ? " (no input schema is published for it)" : ""}. Remove it.`,
    );
  }
}
