/**
 * Text-generation config: the camelCase keys Genkit callers set, their
 * schema per model (only the parameters a model takes, with its ranges), and
 * the checks that run before any request.
 *
 * @module
 */
import { GenerationCommonConfigSchema, z } from "genkit";
import { checkBoolean, invalidArgument as invalid } from "../errors.ts";
import { configObject } from "../wire_options.ts";
import type { ZodSchema } from "../refs.ts";
import type { RangedParam, TextModelSpec } from "./catalog.ts";

// Genkit's `apiKey` and `version` are left out: this plugin refuses a token in
// config (see `validateConfig`) and Workers AI models have no versions.
const textConfigSchema = GenerationCommonConfigSchema.omit({ apiKey: true, version: true }).extend({
  seed: z.number().int().describe("Random seed for reproducible sampling.").optional(),
  repetitionPenalty: z.number().describe("Penalty for repeated tokens (native models).")
    .optional(),
  frequencyPenalty: z.number().describe("Penalty growing with a token's frequency so far.")
    .optional(),
  presencePenalty: z.number().describe("Penalty for tokens that appeared at all so far.")
    .optional(),
  raw: z.boolean().describe("Send the prompt without the chat template (native models).")
    .optional(),
  lora: z.string().describe("A LoRA adapter (fine-tune) id or name, for models that take one.")
    .optional(),
  reasoningEffort: z.enum(["low", "medium", "high"])
    .describe("How much the model thinks before answering (OpenAI-family models).").optional(),
});

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
  /** Sampling temperature; the range depends on the model (e.g. 0-5 native, 0-2 OpenAI-format). */
  temperature?: number;
  /** Most tokens to generate (`max_tokens`); native models default to 256. */
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
  /** How much an OpenAI-format model thinks before answering (`reasoning_effort`). */
  reasoningEffort?: "low" | "medium" | "high";
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
   * Any other key is sent to the API verbatim (e.g. `chat_template_kwargs`),
   * except a body field the plugin builds itself (`messages`, `stream`,
   * `tools`, `response_format`, …) or the wire name of a parameter above
   * (`max_tokens`, `top_k`, …): those are refused, naming what to use.
   */
  [key: string]: unknown;
}

/**
 * Config schema of every Workers AI text model. Ranges are checked per model
 * before any request; keys it does not know are sent to the API verbatim
 * unless they would replace a body field the plugin builds.
 *
 * @example
 * ```ts
 * import { TextConfigSchema } from "@x/cloudflare-ai";
 * TextConfigSchema.parse({ temperature: 0.2, maxOutputTokens: 200, seed: 7 });
 * ```
 */
export const TextConfigSchema: ZodSchema = textConfigSchema;

export const WIRE_NAMES: Readonly<Record<RangedParam, string>> = {
  temperature: "temperature",
  maxOutputTokens: "max_tokens",
  topP: "top_p",
  topK: "top_k",
  seed: "seed",
  repetitionPenalty: "repetition_penalty",
  frequencyPenalty: "frequency_penalty",
  presencePenalty: "presence_penalty",
};
export const RANGED = Object.keys(WIRE_NAMES) as RangedParam[];
/**
 * Wire names of the validated parameters, refused as config keys: one name per
 * parameter is the simplest rule, and the camelCase key gets the range check.
 */
const WIRE_TWINS: ReadonlyMap<string, string> = new Map([
  ...RANGED.filter((p) => WIRE_NAMES[p] !== p).map((p) => [WIRE_NAMES[p], p] as const),
  // The OpenAI name of max_tokens, which OpenAI-format models also take.
  ["max_completion_tokens", "maxOutputTokens"],
]);
/**
 * Body fields the plugin builds from the request, each with what to use
 * instead: a config key of the same name would replace what was built.
 * (`raw`, `lora`, `temperature` and `seed` are config keys of their own.)
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
  ["reasoning_effort", "config.reasoningEffort"],
]);
export const HANDLED = new Set<string>([
  ...RANGED,
  "stopSequences",
  "raw",
  "lora",
  "reasoningEffort",
  "version",
  "apiKey",
]);

/** Native models default to 256 output tokens when `max_tokens` is not sent. */
export const NATIVE_DEFAULT_MAX_TOKENS = 256;

const schemaCache = new WeakMap<TextModelSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the parameters it takes, with its ranges. */
export function configSchemaFor(spec: TextModelSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (schema) return schema;
  const shape: Record<string, z.ZodTypeAny> = {};
  const omit: Record<string, true> = {};
  for (const p of RANGED) {
    const r = spec.params[p];
    if (!r) {
      omit[p] = true;
      continue;
    }
    let n = r.int ? z.number().int() : z.number();
    n = n.min(r.min).max(r.max);
    const base = textConfigSchema.shape[p] as z.ZodOptional<z.ZodNumber>;
    shape[p] = n.describe(base.description ?? p).optional();
  }
  if (spec.format === "openai") {
    omit.raw = true;
    omit.lora = true;
  } else {
    omit.reasoningEffort = true;
    if (!spec.lora) omit.lora = true;
  }
  schema = textConfigSchema.omit(omit as Record<never, true>).extend(shape);
  schemaCache.set(spec, schema);
  return schema;
}

/**
 * Checks a request's config against the model's documented parameters and
 * ranges (Genkit does not validate config) and returns it typed.
 */
export function validateConfig(spec: TextModelSpec, config: unknown): TextConfig {
  const c = configObject(spec.id, config);
  checkPassthrough(spec, c);
  for (const p of RANGED) {
    const v = c[p];
    if (v === undefined || v === null) continue;
    const r = spec.params[p];
    if (!r) {
      throw invalid(
        `config.${p} is not supported by ${spec.id}: its API has no ${WIRE_NAMES[p]} parameter. ` +
          "Remove it, or choose a model that takes it.",
      );
    }
    if (
      typeof v !== "number" || !Number.isFinite(v) || v < r.min || v > r.max ||
      (r.int && !Number.isInteger(v))
    ) {
      throw invalid(
        `config.${p} = ${JSON.stringify(v)} is out of range for ${spec.id}: it must be ${
          r.int ? "a whole number" : "a number"
        } from ${r.min} to ${r.max}.`,
      );
    }
  }
  const stops = c.stopSequences;
  if (stops !== undefined && (!Array.isArray(stops) || stops.some((s) => typeof s !== "string"))) {
    throw invalid(`config.stopSequences for ${spec.id} must be an array of strings.`);
  }
  checkBoolean(spec.id, "raw", c.raw);
  if (c.raw !== undefined && spec.format === "openai") {
    throw invalid(
      `config.raw is not supported by ${spec.id} (an OpenAI-format model has no raw prompt mode).`,
    );
  }
  if (c.lora !== undefined) {
    if (typeof c.lora !== "string" || c.lora === "") {
      throw invalid(`config.lora for ${spec.id} must be a non-empty string.`);
    }
    if (!spec.lora) {
      throw invalid(
        `config.lora is not supported by ${spec.id}: it takes no LoRA adapters. ` +
          "Use a LoRA base model such as @cf/mistral/mistral-7b-instruct-v0.2-lora.",
      );
    }
  }
  if (c.reasoningEffort !== undefined) {
    if (!["low", "medium", "high"].includes(c.reasoningEffort as string)) {
      throw invalid(`config.reasoningEffort for ${spec.id} must be "low", "medium" or "high".`);
    }
    if (spec.format !== "openai") {
      throw invalid(
        `config.reasoningEffort is not supported by ${spec.id}; only OpenAI-format models take it.`,
      );
    }
  }
  return c as TextConfig;
}

/**
 * Refuses config keys that would be sent verbatim but collide with what the
 * plugin builds or validates (see {@link BUILT_FIELDS}, {@link WIRE_TWINS}).
 */
function checkPassthrough(spec: TextModelSpec, c: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(c)) {
    if (HANDLED.has(k) || v === undefined) continue;
    const twin = WIRE_TWINS.get(k);
    if (twin) {
      throw invalid(
        `config.${k} is not accepted by ${spec.id}: use config.${twin}, which is sent as ` +
          `${WIRE_NAMES[twin as RangedParam]} after its range is checked.`,
      );
    }
    const instead = BUILT_FIELDS.get(k);
    if (instead) {
      throw invalid(
        `config.${k} is not accepted by ${spec.id}: the plugin builds ${k} itself. ` +
          `Use ${instead} instead.`,
      );
    }
  }
}
