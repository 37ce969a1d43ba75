/**
 * Text generation: Genkit requests to the Workers AI wire formats (native
 * `{messages}` and OpenAI Chat Completions) and their answers back to Genkit
 * messages, chunks and usage. Translation only: sending is `client.ts`.
 *
 * @module
 */
import { GenerationCommonConfigSchema, type MessageData, type Part, z } from "genkit";
import { parsePartialJson } from "genkit/extract";
import {
  type GenerateRequest,
  type GenerateResponseChunkData,
  type GenerateResponseData,
  type GenerationUsage,
  type ModelAction,
  type ModelInfo,
  simulateConstrainedGeneration,
  type ToolDefinition,
} from "genkit/model";
import { model } from "genkit/plugin";
import type { RangedParam, TextModelSpec } from "../text/catalog.ts";
import type { WorkersAIClient } from "../client/client.ts";
import type { StreamItem } from "../client/types.ts";
import { type DownloadPolicy, inlineRemoteMedia, isRemoteUrl } from "../downloads.ts";
import type { ZodSchema } from "../refs.ts";
import { cutAtStop, splitThinking, StopCutter, ThinkSplitter } from "./text_split.ts";
import { invalidArgument as invalid } from "../errors.ts";

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

const WIRE_NAMES: Readonly<Record<RangedParam, string>> = {
  temperature: "temperature",
  maxOutputTokens: "max_tokens",
  topP: "top_p",
  topK: "top_k",
  seed: "seed",
  repetitionPenalty: "repetition_penalty",
  frequencyPenalty: "frequency_penalty",
  presencePenalty: "presence_penalty",
};
const RANGED = Object.keys(WIRE_NAMES) as RangedParam[];
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
const HANDLED = new Set<string>([
  ...RANGED,
  "stopSequences",
  "raw",
  "lora",
  "reasoningEffort",
  "version",
  "apiKey",
]);

/** Native models default to 256 output tokens when `max_tokens` is not sent. */
const NATIVE_DEFAULT_MAX_TOKENS = 256;

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

/** What Genkit's Developer UI and middleware should know about a model. */
export function textModelInfo(spec: TextModelSpec): ModelInfo {
  return {
    label: `Cloudflare Workers AI - ${spec.label}`,
    stage: spec.beta ? "unstable" : "stable",
    supports: {
      multiturn: true,
      systemRole: true,
      media: spec.vision !== "none",
      tools: spec.tools,
      toolChoice: spec.tools,
      output: spec.json === "none" ? ["text"] : ["text", "json"],
      // JSON mode and tools together are not documented on Workers AI: with
      // tools, Genkit falls back to schema instructions in the prompt.
      constrained: spec.json === "none" ? "none" : "no-tools",
    },
  };
}

/**
 * Checks a request's config against the model's documented parameters and
 * ranges (Genkit does not validate config) and returns it typed.
 */
export function validateConfig(spec: TextModelSpec, config: unknown): TextConfig {
  if (config === undefined || config === null) return {};
  const proto = typeof config === "object" ? Object.getPrototypeOf(config) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw invalid(
      `The config for ${spec.id} must be an object of named parameters, not ${
        Array.isArray(config) ? "an array" : `a ${typeof config}`
      }.`,
    );
  }
  const c = config as Record<string, unknown>;
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
  if (c.raw !== undefined && typeof c.raw !== "boolean") {
    throw invalid(`config.raw for ${spec.id} must be true or false.`);
  }
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
  if (c.apiKey !== undefined) {
    // Genkit records the request (config included) in its traces, and the
    // token must never appear in a trace.
    throw invalid(
      `config.apiKey is not accepted by ${spec.id}: Genkit records config in its traces, where ` +
        "an API token must not appear. Pass apiToken to cloudflareAI() (or another plugin " +
        "instance) instead.",
    );
  }
  if (c.version !== undefined) {
    throw invalid(
      `config.version is not accepted by ${spec.id}: Workers AI models have no versions. ` +
        "Name the model id you want instead.",
    );
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
    // Genkit spreads config into an object: a string or an array arrives as keys "0", "1", ….
    if (/^\d+$/.test(k)) {
      throw invalid(
        `The config for ${spec.id} must be an object of named parameters, but it has the ` +
          `key "${k}": a string or an array was given as config.`,
      );
    }
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

// ---------------------------------------------------------------------------
// Request translation

/** A Workers AI chat message. */
export interface WireMessage {
  role: string;
  content: string | WireContentPart[] | null;
  tool_calls?: WireToolCall[];
  tool_call_id?: string;
  name?: string;
}

/** An OpenAI-style content part (text or image). */
export type WireContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } };

/** A tool call as sent back to Workers AI in the history. */
export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

const ROLE: Readonly<Record<string, string>> = {
  system: "system",
  user: "user",
  model: "assistant",
  tool: "tool",
};

/** The content fields of Genkit parts, in the order a part's kind is read. */
const PART_KINDS = [
  "text",
  "media",
  "toolRequest",
  "toolResponse",
  "reasoning",
  "data",
  "custom",
  "resource",
] as const;

/** The kind of a Genkit part: the name of its content field ("empty" if none). */
function partKind(p: Part): string {
  const fields = p as Record<string, unknown>;
  return PART_KINDS.find((k) => fields[k] !== undefined) ?? "empty";
}

/** Why a part of each kind is refused outside the messages that may carry it. */
const PART_ADVICE: Readonly<Record<string, string>> = {
  toolRequest: "tool requests belong in model messages",
  toolResponse: "tool responses belong in tool messages",
  reasoning: "reasoning belongs in model messages; give the model text instead",
  data: "Workers AI takes no data parts; pass the data as text (e.g. JSON.stringify it)",
  custom: "Workers AI takes no custom parts (they belong to another plugin); remove it",
  resource: "Workers AI takes no resource parts; pass their content as text or media",
  empty: "the part has no content; remove it",
};

/**
 * The parts of message `i` that are sent, in order. Refuses a part the model
 * cannot take in a message of that role, rather than dropping it silently.
 * Two kinds are dropped from model messages: reasoning, as Genkit's other
 * plugins do (the native wire has no field for past reasoning), and `data`
 * beside text (this plugin's JSON answers carry their parsed text as one).
 */
function sentParts(spec: TextModelSpec, m: MessageData, i: number): Part[] {
  const where = `messages[${i}] (${m.role})`;
  const hasText = m.content.some((p) => typeof p.text === "string" && p.text !== "");
  const out: Part[] = [];
  for (const p of m.content) {
    const kind = partKind(p);
    let advice: string | undefined;
    if (m.role === "tool") {
      if (kind !== "toolResponse") advice = "a tool message carries only toolResponse parts";
    } else if (kind === "reasoning" && m.role === "model") continue;
    else if (kind === "data" && m.role === "model" && hasText) continue;
    else if (kind === "toolRequest") {
      if (m.role !== "model") advice = PART_ADVICE.toolRequest;
    } else if (kind !== "text" && kind !== "media") advice = PART_ADVICE[kind];
    if (advice) throw invalid(`${spec.id} cannot take the ${kind} part in ${where}: ${advice}.`);
    out.push(p);
  }
  if (out.length === 0) {
    throw invalid(
      `${where} has no content ${spec.id} can take (reasoning in model messages is not sent ` +
        "back). Give it a text part, or leave the message out.",
    );
  }
  return out;
}

/**
 * Genkit messages to Workers AI `messages` (plus a top-level `image` for
 * models that take one). With `acceptRemote`, `http(s)` images are let
 * through unchecked, for validating a request before they are downloaded.
 */
export function toWireMessages(
  spec: TextModelSpec,
  messages: MessageData[],
  acceptRemote = false,
): { messages: WireMessage[]; image?: string } {
  const out: WireMessage[] = [];
  let image: string | undefined;
  messages.forEach((m, i) => {
    const role = ROLE[m.role];
    const parts = sentParts(spec, m, i);
    if (m.role === "tool") {
      for (const { toolResponse: r } of parts) {
        out.push({
          role: "tool",
          tool_call_id: r!.ref ?? r!.name,
          name: r!.name,
          content: typeof r!.output === "string" ? r!.output : JSON.stringify(r!.output ?? null),
        });
      }
      return;
    }
    const media = parts.filter((p) => p.media);
    const calls = parts.filter((p) => p.toolRequest);
    // Separate text parts (the caller's, Genkit's output instructions) keep a
    // boundary: a blank line in string content.
    const text = parts.flatMap((p) => p.text ? [p.text] : []).join("\n\n");
    if (media.length > 0) {
      if (spec.vision === "none") {
        throw invalid(
          `${spec.id} does not take images, but the ${m.role} message has ${media.length} media part(s). ` +
            "Use a vision model such as @cf/meta/llama-4-scout-17b-16e-instruct.",
        );
      }
      if (m.role !== "user") {
        throw invalid(`${spec.id} takes images only in user messages, not in ${m.role} messages.`);
      }
      const url = (p: Part) => checkImage(spec, p.media!.url, p.media!.contentType, acceptRemote);
      if (spec.vision === "image-field") {
        if (media.length > 1 || image !== undefined) {
          throw invalid(
            `${spec.id} takes a single image per request; ${
              media.length + (image === undefined ? 0 : 1)
            } or more were given.`,
          );
        }
        image = url(media[0]);
        out.push({ role, content: text });
      } else {
        // Content parts in the caller's order, each text its own part.
        const content: WireContentPart[] = [];
        for (const p of parts) {
          if (p.media) content.push({ type: "image_url", image_url: { url: url(p) } });
          else if (p.text) content.push({ type: "text", text: p.text });
        }
        out.push({ role, content });
      }
      return;
    }
    const msg: WireMessage = { role, content: text };
    if (calls.length > 0) {
      msg.tool_calls = calls.map((p) => ({
        id: p.toolRequest!.ref ?? newCallId(),
        type: "function",
        function: {
          name: p.toolRequest!.name,
          arguments: JSON.stringify(p.toolRequest!.input ?? {}),
        },
      }));
    }
    out.push(msg);
  });
  return image === undefined ? { messages: out } : { messages: out, image };
}

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/jpg", "image/webp", "image/gif"]);

function checkImage(
  spec: TextModelSpec,
  url: string,
  contentType: string | undefined,
  acceptRemote: boolean,
): string {
  // Its type is known only once it is downloaded; it is checked again then.
  if (acceptRemote && isRemoteUrl(url)) return url;
  const m = /^data:([^;,]+)[;,]/.exec(url);
  if (!m) {
    throw invalid(
      `${spec.id} takes images only as data: URLs (Workers AI does not fetch URLs); got ${
        url.slice(0, 40)
      }… Download the image first.`,
    );
  }
  const type = (contentType ?? m[1]).toLowerCase();
  if (!IMAGE_TYPES.has(type)) {
    throw invalid(
      `${spec.id} cannot take media of type ${type}; it takes PNG, JPEG, WebP or GIF images.`,
    );
  }
  return url;
}

/** Workers AI requires `type` and `description` on every tool parameter; fill what the schema lacks. */
export function toolParameters(
  schema: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const s = { ...(schema ?? {}) };
  if (s.type === undefined) s.type = "object";
  const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
  const filled: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(props)) {
    const p = { ...prop };
    if (p.type === undefined) p.type = inferType(p);
    if (p.description === undefined) p.description = name;
    filled[name] = p;
  }
  s.properties = filled;
  delete s.$schema;
  return s;
}

function inferType(p: Record<string, unknown>): string {
  const alts = (p.anyOf ?? p.oneOf) as Record<string, unknown>[] | undefined;
  const first = alts?.find((a) => typeof a.type === "string" && a.type !== "null");
  if (first) return first.type as string;
  if (Array.isArray(p.enum) && p.enum.every((e) => typeof e === "number")) return "number";
  if (p.properties) return "object";
  if (p.items) return "array";
  return "string";
}

function toWireTools(tools: ToolDefinition[]): unknown[] {
  return tools.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      description: t.description,
      parameters: toolParameters(t.inputSchema as Record<string, unknown> | undefined),
    },
  }));
}

/**
 * Models on which `tool_choice: "required"` only advises ("fails open", as
 * Cloudflare's provider found on QwQ and Gemma 4): with several tools it
 * cannot be honoured, and is refused rather than silently ignored.
 */
const REQUIRED_FAILS_OPEN = new Set(["@cf/qwen/qwq-32b", "@cf/google/gemma-4-26b-a4b-it"]);

function toolChoice(
  spec: TextModelSpec,
  choice: "auto" | "required" | "none",
  tools: ToolDefinition[],
): unknown {
  if (choice === "required") {
    if (tools.length === 0) {
      throw invalid(`toolChoice "required" for ${spec.id} needs at least one tool.`);
    }
    // Forcing the function by name is the one form every model honours.
    if (tools.length === 1) return { type: "function", function: { name: tools[0].name } };
    if (REQUIRED_FAILS_OPEN.has(spec.id)) {
      throw invalid(
        `toolChoice "required" cannot be enforced by ${spec.id} with ${tools.length} tools ` +
          '(the model treats it as "auto"). Offer only the tool it must call, or use another model.',
      );
    }
  }
  return choice;
}

/** Inlines local `$ref`s (`#/definitions/...`, `#/$defs/...`) and drops `$schema`: Workers AI takes bare schemas. */
export function inlineRefs(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = {
    ...(schema.definitions as Record<string, unknown> | undefined),
    ...(schema.$defs as Record<string, unknown> | undefined),
  };
  const walk = (node: unknown, depth: number): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, depth));
    if (!node || typeof node !== "object") return node;
    const o = node as Record<string, unknown>;
    if (typeof o.$ref === "string") {
      const name = o.$ref.replace(/^#\/(definitions|\$defs)\//, "");
      if (depth > 32 || !(name in defs)) {
        throw invalid(`The output schema has a $ref that cannot be inlined: ${o.$ref}.`);
      }
      return walk(defs[name], depth + 1);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === "$schema" || k === "definitions" || k === "$defs") continue;
      out[k] = walk(v, depth);
    }
    return out;
  };
  return walk(schema, 0) as Record<string, unknown>;
}

/**
 * The body fields that ask for JSON output, in the model's own mechanism:
 * `response_format` with a bare schema on native models, `guided_json` on
 * mistral-small-3.1 / QwQ, the OpenAI `json_schema` envelope on OpenAI-format
 * models. Workers AI JSON mode cannot stream: streaming requests go the
 * instructed way instead (see `defineTextModel`).
 */
function jsonMode(
  spec: TextModelSpec,
  request: GenerateRequest,
  stream: boolean,
): Record<string, unknown> | undefined {
  const output = request.output;
  if (!output?.constrained || stream || spec.json === "none") return undefined;
  const schema = output.schema ? inlineRefs(output.schema) : undefined;
  switch (spec.json) {
    case "response_format":
      return {
        response_format: schema
          ? { type: "json_schema", json_schema: schema }
          : { type: "json_object" },
      };
    case "guided_json":
      return { guided_json: schema ?? { type: "object" } };
    case "openai":
      return {
        response_format: schema
          ? { type: "json_schema", json_schema: { name: "output", schema, strict: true } }
          : { type: "json_object" },
      };
  }
}

/**
 * Builds the request body for one Genkit request, refusing what the model
 * cannot take. With `acceptRemote`, `http(s)` images are let through (see
 * {@link toWireMessages}): the body then only validates the request.
 */
export function toWireBody(
  spec: TextModelSpec,
  request: GenerateRequest,
  config: TextConfig,
  stream: boolean,
  acceptRemote = false,
): Record<string, unknown> {
  const { messages, image } = toWireMessages(spec, request.messages, acceptRemote);
  const body: Record<string, unknown> = { messages };
  if (image !== undefined) body.image = image;
  for (const p of RANGED) {
    const v = config[p];
    if (v !== undefined && v !== null) body[WIRE_NAMES[p]] = v;
  }
  if (spec.format === "openai") {
    if (config.stopSequences?.length) body.stop = config.stopSequences;
    if (config.reasoningEffort) body.reasoning_effort = config.reasoningEffort;
  } else {
    if (config.raw !== undefined) body.raw = config.raw;
    if (config.lora !== undefined) body.lora = config.lora;
  }
  // Keys the caller set that this plugin does not know go to the API verbatim
  // (nothing the caller set is dropped); `validateConfig` refused the ones
  // that would replace a field built here.
  for (const [k, v] of Object.entries(config)) {
    if (!HANDLED.has(k) && v !== undefined) body[k] = v;
  }
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    if (!spec.tools) {
      throw invalid(
        `${spec.id} does not support tool calling, but ${tools.length} tool(s) were given. ` +
          "Use a model with tools, such as @cf/meta/llama-3.3-70b-instruct-fp8-fast.",
      );
    }
    body.tools = toWireTools(tools);
  }
  if (request.toolChoice && (tools.length > 0 || request.toolChoice === "required")) {
    body.tool_choice = toolChoice(spec, request.toolChoice, tools);
  }
  const json = jsonMode(spec, request, stream);
  if (json) Object.assign(body, json);
  if (stream) {
    body.stream = true;
    if (spec.format === "openai") body.stream_options = { include_usage: true };
  }
  return body;
}

// ---------------------------------------------------------------------------
// Response translation

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

/** A Workers AI answer reduced to what Genkit needs. */
export interface ParsedAnswer {
  /** The answer text. */
  text: string;
  /** Reasoning text, if any. */
  reasoning: string;
  /** Tool requests. */
  toolRequests: Part[];
  /** Wire usage, if reported. */
  usage?: WireUsage;
  /** Wire finish reason, if reported. */
  finishReason?: string;
}

/** A call id that every Workers AI model accepts back (mistral-small-3.1 needs 9 alphanumerics). */
export function newCallId(): string {
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  let id = "";
  for (const b of bytes) id += chars[b % chars.length];
  return id;
}

function parseArguments(args: unknown): unknown {
  if (typeof args !== "string") return args ?? {};
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    return parsePartialJson(args) ?? args;
  }
}

/**
 * Normalises the tool-call shapes of Workers AI: flat `{name, arguments:
 * object}` (native), `{id, type, function:{name, arguments: object}}`
 * (llama-4-scout) and `{id, type, function:{name, arguments: string}}`
 * (OpenAI family).
 */
export function toToolRequests(calls: unknown): Part[] {
  if (!Array.isArray(calls)) return [];
  const out: Part[] = [];
  for (const c of calls as Record<string, unknown>[]) {
    const fn = (c.function ?? c) as Record<string, unknown>;
    if (typeof fn.name !== "string" || fn.name === "") continue;
    out.push({
      toolRequest: {
        name: fn.name,
        ref: typeof c.id === "string" && c.id !== "" ? c.id : newCallId(),
        input: parseArguments(fn.arguments ?? fn.parameters),
      },
    });
  }
  return out;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  // JSON mode may answer `response` as an object or a number, not a string.
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Reads either text family (and the hybrid `response: null` + `choices`).
 * With `inlineThinking` (native-format models), `<think>…</think>` at the
 * start of the answer becomes reasoning, whichever shape the answer has.
 */
export function parseAnswer(result: unknown, inlineThinking: boolean): ParsedAnswer {
  const r = (result ?? {}) as Record<string, unknown>;
  const choices = r.choices as Record<string, unknown>[] | undefined;
  const split = (raw: string) => inlineThinking ? splitThinking(raw) : { reasoning: "", text: raw };
  if (Array.isArray(choices) && choices.length > 0) {
    const choice = choices[0];
    const message = (choice.message ?? {}) as Record<string, unknown>;
    // qwen3-30b-a3b-fp8 takes native input but answers a chat.completion with
    // its thinking inline in `content`.
    const content = split(stringify(message.content ?? choice.text));
    return {
      text: content.text,
      reasoning: stringify(message.reasoning ?? message.reasoning_content) + content.reasoning,
      toolRequests: toToolRequests(message.tool_calls),
      usage: r.usage as WireUsage | undefined,
      finishReason: choice.finish_reason as string | undefined,
    };
  }
  const response = split(stringify(r.response ?? r.response_text));
  return {
    text: response.text,
    reasoning: stringify(r.reasoning ?? r.reasoning_content) + response.reasoning,
    toolRequests: toToolRequests(r.tool_calls),
    usage: r.usage as WireUsage | undefined,
    finishReason: r.finish_reason as string | undefined,
  };
}

/** Wire usage to Genkit usage. */
export function toUsage(u: WireUsage | undefined): GenerationUsage {
  if (!u) return {};
  const usage: GenerationUsage = {};
  if (u.prompt_tokens !== undefined) usage.inputTokens = u.prompt_tokens;
  if (u.completion_tokens !== undefined) usage.outputTokens = u.completion_tokens;
  if (u.total_tokens !== undefined) usage.totalTokens = u.total_tokens;
  const cached = u.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined) usage.cachedContentTokens = cached;
  const thoughts = u.completion_tokens_details?.reasoning_tokens;
  if (thoughts !== undefined) usage.thoughtsTokens = thoughts;
  return usage;
}

type FinishReason = GenerateResponseData["finishReason"];

function finishReason(
  spec: TextModelSpec,
  config: TextConfig,
  answer: { finishReason?: string; usage?: WireUsage },
  stoppedByClient: boolean,
): FinishReason {
  if (stoppedByClient) return "stop";
  switch (answer.finishReason) {
    case "length":
    case "max_tokens":
      return "length";
    case "content_filter":
      return "blocked";
    case "stop":
    case "eos":
    case "tool_calls":
    case "function_call":
      return "stop";
  }
  // Native answers carry no finish reason: the model stopped on max_tokens
  // when it produced exactly that many tokens.
  const limit = config.maxOutputTokens ??
    (spec.format === "native" ? NATIVE_DEFAULT_MAX_TOKENS : undefined);
  const produced = answer.usage?.completion_tokens;
  if (limit !== undefined && produced !== undefined && produced >= limit) return "length";
  return answer.finishReason === undefined ? "stop" : "other";
}

function messageContent(reasoning: string, text: string, toolRequests: Part[]): Part[] {
  const content: Part[] = [];
  if (reasoning) content.push({ reasoning });
  if (text || toolRequests.length === 0) content.push({ text });
  content.push(...toolRequests);
  return content;
}

/** Client-side stop sequences apply where the model has no `stop` parameter. */
function clientStops(spec: TextModelSpec, config: TextConfig): string[] {
  return spec.format === "native" ? (config.stopSequences ?? []) : [];
}

/**
 * gpt-oss (harmony) sometimes answers a forced tool call as JSON text with no
 * `tool_calls` (cloudflare/ai#560): recover it when the text is a call to one
 * of the offered tools, and only then.
 */
export function salvageToolCall(text: string, offered: ReadonlySet<string>): Part | undefined {
  const t = text.trim();
  if (offered.size === 0 || !t.startsWith("{") || !t.endsWith("}")) return undefined;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(t);
  } catch {
    return undefined;
  }
  const name = v.name ?? (v.function as Record<string, unknown> | undefined)?.name;
  if (typeof name !== "string" || !offered.has(name)) return undefined;
  const args = v.arguments ?? v.parameters ?? (v.function as Record<string, unknown>)?.arguments;
  return { toolRequest: { name, ref: newCallId(), input: parseArguments(args) } };
}

/** Applies {@link salvageToolCall} to a parsed answer. */
function withSalvagedCall(answer: ParsedAnswer, offered: ReadonlySet<string>): ParsedAnswer {
  if (answer.toolRequests.length > 0) return answer;
  const call = salvageToolCall(answer.text, offered);
  return call ? { ...answer, text: "", toolRequests: [call] } : answer;
}

function toResponse(
  spec: TextModelSpec,
  config: TextConfig,
  answer: ParsedAnswer,
): GenerateResponseData {
  const stops = clientStops(spec, config);
  const cut = stops.length > 0
    ? cutAtStop(answer.text, stops)
    : { text: answer.text, stopped: false };
  return {
    message: {
      role: "model",
      content: messageContent(answer.reasoning, cut.text, answer.toolRequests),
    },
    finishReason: finishReason(spec, config, answer, cut.stopped),
    usage: toUsage(answer.usage),
  };
}

function nonEmpty(value: unknown): boolean {
  if (typeof value === "string") return value !== "";
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null;
}

/**
 * Whether a stream event carries text, reasoning or a tool call for the
 * caller. Workers AI streams open with empty `response` events and pad
 * events with `p` (reference §4.3); a stream cut after only such events
 * delivered nothing, so the client may still retry it.
 */
function carriesContent(ev: Record<string, unknown>): boolean {
  if (nonEmpty(ev.response) || nonEmpty(ev.tool_calls)) return true;
  const choices = ev.choices;
  if (!Array.isArray(choices)) return false;
  return choices.some((choice: Record<string, unknown>) => {
    const delta = (choice.delta ?? choice.message ?? {}) as Record<string, unknown>;
    return nonEmpty(delta.content) || nonEmpty(delta.reasoning) ||
      nonEmpty(delta.reasoning_content) || nonEmpty(delta.tool_calls) || nonEmpty(choice.text);
  });
}

/** Accumulates streamed tool-call deltas by index. */
interface PendingCall {
  id?: string;
  name: string;
  args: string;
  object?: unknown;
}

async function streamAnswer(
  spec: TextModelSpec,
  config: TextConfig,
  offered: ReadonlySet<string>,
  items: AsyncIterable<StreamItem>,
  sendChunk: (chunk: GenerateResponseChunkData) => void,
): Promise<GenerateResponseData> {
  const splitter = spec.format === "native" ? new ThinkSplitter() : undefined;
  const stops = clientStops(spec, config);
  const cutter = stops.length > 0 ? new StopCutter(stops) : undefined;
  let text = "";
  let reasoning = "";
  let usage: WireUsage | undefined;
  let wireFinish: string | undefined;
  const calls: PendingCall[] = [];

  const emit = (reasoningDelta: string, textDelta: string) => {
    if (cutter) textDelta = cutter.push(textDelta);
    const content: Part[] = [];
    if (reasoningDelta) {
      reasoning += reasoningDelta;
      content.push({ reasoning: reasoningDelta });
    }
    if (textDelta) {
      text += textDelta;
      content.push({ text: textDelta });
    }
    if (content.length > 0) sendChunk({ content });
  };
  const addText = (delta: string) => {
    if (!splitter) return emit("", delta);
    const s = splitter.push(delta);
    emit(s.reasoning, s.text);
  };
  const addCalls = (deltas: unknown) => {
    if (!Array.isArray(deltas) || deltas.length === 0) return;
    const partial: Part[] = [];
    deltas.forEach((d: Record<string, unknown>, i) => {
      const fn = (d.function ?? d) as Record<string, unknown>;
      const index = typeof d.index === "number"
        ? d.index
        : calls.length > 0 && !fn.name
        ? calls.length - 1
        : i;
      const call = calls[index] ??= { name: "", args: "" };
      if (typeof d.id === "string" && d.id) call.id = d.id;
      if (typeof fn.name === "string" && fn.name) call.name = fn.name;
      const args = fn.arguments ?? fn.parameters;
      if (typeof args === "string") call.args += args;
      else if (args !== undefined && args !== null) call.object = args;
      call.id ??= newCallId();
      if (call.name) {
        partial.push({
          toolRequest: {
            name: call.name,
            ref: call.id,
            input: call.object ?? parsePartialJson(call.args || "{}"),
            partial: true,
          },
        });
      }
    });
    if (partial.length > 0) sendChunk({ content: partial });
  };

  for await (const item of items) {
    if (item.type === "result") {
      // A JSON answer to a streaming request: deliver it as one chunk.
      const answer = withSalvagedCall(parseAnswer(item.data, !!splitter), offered);
      const response = toResponse(spec, config, answer);
      sendChunk({ content: response.message!.content });
      return response;
    }
    // The events that arrived in one network read.
    for (const ev of item.data) {
      if (ev.usage) usage = ev.usage as WireUsage;
      const choices = ev.choices as Record<string, unknown>[] | undefined;
      if (Array.isArray(choices)) {
        for (const choice of choices) {
          const delta = (choice.delta ?? choice.message ?? {}) as Record<string, unknown>;
          const r = delta.reasoning ?? delta.reasoning_content;
          const c = delta.content ?? choice.text;
          if (typeof r === "string" && r) emit(r, "");
          // Native-format models streaming chunks (qwen3-30b-a3b-fp8) think inline here too.
          if (typeof c === "string" && c) addText(c);
          addCalls(delta.tool_calls);
          if (choice.finish_reason) wireFinish = choice.finish_reason as string;
        }
      } else {
        const r = ev.response;
        if (typeof r === "string" && r) addText(r);
        else if (r !== undefined && r !== null && typeof r !== "string") addText(JSON.stringify(r));
        addCalls(ev.tool_calls);
      }
      if (typeof ev.finish_reason === "string") wireFinish = ev.finish_reason;
      if (cutter?.stopped) break;
    }
    if (cutter?.stopped) break; // ends the HTTP stream too
  }
  if (splitter) {
    const s = splitter.flush();
    emit(s.reasoning, s.text);
  }
  if (cutter && !cutter.stopped) {
    const rest = cutter.flush();
    if (rest) {
      text += rest;
      sendChunk({ content: [{ text: rest }] });
    }
  }
  const final = withSalvagedCall({
    text,
    reasoning,
    toolRequests: calls.filter((c) => c.name).map((c) => ({
      toolRequest: {
        name: c.name,
        ref: c.id ?? newCallId(),
        input: c.object ?? parseArguments(c.args),
      },
    })),
  }, offered);
  return {
    message: {
      role: "model",
      content: messageContent(final.reasoning, final.text, final.toolRequests),
    },
    finishReason: finishReason(
      spec,
      config,
      { finishReason: wireFinish, usage },
      !!cutter?.stopped,
    ),
    usage: toUsage(usage),
  };
}

/**
 * Adds the parsed JSON-mode answer as a `data` part beside its text, so that
 * answers Genkit's JSON extraction does not find in text (a bare number or
 * string) still become `output`.
 */
function withJsonData(response: GenerateResponseData): GenerateResponseData {
  const content = response.message?.content ?? [];
  const text = content.map((p) => p.text ?? "").join("").trim();
  if (!text) return response;
  try {
    const data = JSON.parse(text);
    return { ...response, message: { role: "model", content: [...content, { data }] } };
  } catch {
    return response;
  }
}

/**
 * Defines the Genkit model action `cloudflare-ai/<id>` for one text model.
 * Remote images are downloaded with `downloads`, once the request is known
 * to be one the model can take.
 */
export function defineTextModel(
  spec: TextModelSpec,
  client: WorkersAIClient,
  actionName: string,
  downloads: DownloadPolicy,
): ModelAction {
  const info = textModelInfo(spec);
  return model(
    {
      name: actionName,
      label: info.label,
      supports: info.supports,
      configSchema: configSchemaFor(spec),
      use: [],
    },
    async (request, { streamingRequested, sendChunk, abortSignal }) => {
      const config = validateConfig(spec, request.config);
      if (streamingRequested && request.output?.constrained && spec.json !== "none") {
        // Workers AI JSON mode cannot stream: ask with schema instructions
        // instead, so that the caller still gets partial output chunks.
        let instructed = request;
        await simulateConstrainedGeneration()(request, (r) => {
          instructed = r as GenerateRequest;
          return Promise.resolve({});
        });
        request = instructed;
      }
      // Everything is checked before any image is downloaded; with remote
      // images, the body is built again from the downloaded ones.
      let body = toWireBody(spec, request, config, streamingRequested, true);
      if (
        request.messages.some((m) => m.content.some((p) => p.media && isRemoteUrl(p.media.url)))
      ) {
        const messages = await inlineRemoteMedia(
          spec.id,
          request.messages,
          "image",
          downloads,
          abortSignal,
        );
        request = { ...request, messages };
        body = toWireBody(spec, request, config, streamingRequested);
      }
      const offered = new Set((request.tools ?? []).map((t) => t.name));
      const call = { signal: abortSignal };
      if (!streamingRequested) {
        const result = await client.run(spec.id, body, call);
        const answer = parseAnswer(result, spec.format === "native");
        const response = toResponse(spec, config, withSalvagedCall(answer, offered));
        return body.response_format || body.guided_json ? withJsonData(response) : response;
      }
      const items = client.stream(spec.id, body, { ...call, delivers: carriesContent });
      return await streamAnswer(spec, config, offered, items, sendChunk);
    },
  );
}
