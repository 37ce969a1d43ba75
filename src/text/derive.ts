/**
 * How a text model's spec is derived from Cloudflare's published definition
 * (`publishedModel(id)`): tools, images, JSON mode, reasoning efforts, the
 * sampling parameters with their published ranges and defaults, LoRA,
 * context window, paid-only flag and stage. What a definition cannot say
 * (the wire-format family) and every deliberate departure from it are
 * written here as explicit overrides, each with its reason and source.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import type { PublishedModel } from "../definitions/types.ts";
import type { LiveModel } from "../model_search.ts";
import { fromPublished, type OptionName, type WireOption } from "../wire_options.ts";
import type { JsonMode, ParamRange, RangedParam, TextModelSpec, TextWireFormat } from "./spec.ts";

/**
 * The sampling parameters every text model may take, by config key and published name.
 *
 * @example
 * ```ts
 * import { SAMPLING } from "./derive.ts";
 *
 * console.log(SAMPLING.find((p) => p.key === "topK")?.wire); // "top_k"
 * ```
 */
export const SAMPLING: readonly (OptionName & { key: RangedParam })[] = [
  { key: "temperature", wire: "temperature", description: "Sampling temperature." },
  { key: "maxOutputTokens", wire: "max_tokens", description: "Most tokens to generate." },
  { key: "topP", wire: "top_p", description: "Nucleus sampling: the probability mass kept." },
  { key: "topK", wire: "top_k", description: "Sample only from the k most likely tokens." },
  { key: "seed", wire: "seed", description: "Random seed for reproducible sampling." },
  {
    key: "repetitionPenalty",
    wire: "repetition_penalty",
    description: "Penalty for repeated tokens.",
  },
  {
    key: "frequencyPenalty",
    wire: "frequency_penalty",
    description: "Penalty growing with a token's frequency so far.",
  },
  {
    key: "presencePenalty",
    wire: "presence_penalty",
    description: "Penalty for tokens that appeared at all so far.",
  },
];

const RAW: OptionName = {
  key: "raw",
  wire: "raw",
  description: "Send the prompt without the chat template.",
};
const LORA = "A LoRA adapter (fine-tune) id or name.";
const EFFORT = "How much the model thinks before answering.";

/**
 * A deliberate departure from a model's published definition, or a fact the
 * definition cannot give. Each names its reason and source.
 */
interface TextOverride {
  /** Why, and where the fact comes from. */
  reason: string;
  /** Replaces the published `function_calling`. */
  functionCalling?: boolean;
  /** Replaces the published `vision`. */
  vision?: boolean;
  /** Replaces the published `reasoning`. */
  reasoning?: boolean;
  /** Replaces the published `context_window`. */
  contextWindow?: number;
}

/** Native reasoning models write `<think>…</think>` inline (see split.ts), unflagged in their definitions. */
const INLINE_THINKING: TextOverride = {
  reason: "writes its reasoning inline between <think> and </think> (reference §3, observed), " +
    "which its definition does not flag",
  reasoning: true,
};

/**
 * Every override of a published text definition. Each must still depart
 * from the snapshot (a test checks it): drop it once the snapshot agrees.
 */
const OVERRIDES: Readonly<Record<string, TextOverride>> = {
  // Where the snapshot holds an older version of a definition, with no
  // properties: only properties are overridden, never what goes on the wire
  // (that stays what the snapshot's schema names).
  "@cf/meta/llama-4-scout-17b-16e-instruct": {
    reason: "its published input (cloudflare-docs @067fce3b) takes image_url content parts " +
      "although the definition does not set `vision`",
    vision: true,
  },
  "@cf/meta/llama-3.2-11b-vision-instruct": {
    reason: "a vision model taking its image in the published `image` field, whose snapshot " +
      "definition carries no properties (reference §6, S25, S28)",
    vision: true,
  },
  "@cf/mistralai/mistral-small-3.1-24b-instruct": {
    reason: "its published input takes image_url content parts (data: URLs only) although the " +
      "definition does not set `vision` (reference §6, S22)",
    vision: true,
  },
  "@cf/qwen/qwq-32b": INLINE_THINKING,
};

const OPTIONS = new WeakMap<TextModelSpec, readonly WireOption[]>();

/**
 * The config options of a text model (key, published name, type, range,
 * values, default): the one table its config schema and its check before a
 * request are made from.
 *
 * @example
 * ```ts
 * import { knownTextModel } from "./catalog.ts";
 * import { textOptions } from "./derive.ts";
 *
 * const glm = knownTextModel("@cf/zai-org/glm-5.3")!;
 * console.log(textOptions(glm).map((o) => `${o.key} → ${o.wire}`));
 * ```
 */
export function textOptions(spec: TextModelSpec): readonly WireOption[] {
  return OPTIONS.get(spec) ?? [];
}

/**
 * The override of a model's published definition, if any.
 *
 * @example
 * ```ts
 * import { textOverride } from "./derive.ts";
 *
 * console.log(textOverride("@cf/qwen/qwq-32b")?.reason);
 * ```
 */
export function textOverride(id: string): Readonly<TextOverride> | undefined {
  return Object.hasOwn(OVERRIDES, id) ? OVERRIDES[id] : undefined;
}

/** The chat (`messages`) variant of a published input, and its prompt-only variant. */
function variants(p: PublishedModel | undefined) {
  const chat = p?.variants.find((v) => v.fields.includes("messages"));
  const prompt = p?.variants.find((v) => v.fields.includes("prompt") && v !== chat);
  return { chat, prompt };
}

/** A ranged option's compatibility view as a {@link ParamRange}. */
function rangeOf(o: WireOption): ParamRange {
  const r: ParamRange = { min: o.min ?? -Infinity, max: o.max ?? Infinity };
  if (o.kind === "int") r.int = true;
  return r;
}

/**
 * The spec of text model `id`: its published definition with its overrides;
 * for an id the snapshot lacks (or whose schema is unpublished), what the
 * account's model search said of it. `format` is the hand-written wire
 * family, which no definition states.
 *
 * @example
 * ```ts
 * import { deriveTextSpec } from "./derive.ts";
 *
 * const spec = deriveTextSpec("@cf/qwen/qwen3.8-27b", "Qwen 3.8 27B", "openai");
 * console.log(spec.tools, spec.vision, spec.efforts); // true "content-parts" [...]
 * ```
 */
export function deriveTextSpec(
  id: string,
  label: string,
  format: TextWireFormat,
  live?: LiveModel,
): TextModelSpec {
  const facts = publishedModel(id);
  const o = textOverride(id);
  const { chat, prompt } = variants(facts);
  const fields = new Set(chat?.fields ?? []);
  const params = facts?.params ?? {};
  // Without a published chat input (no schema, or an id the snapshot lacks),
  // the published or searched properties decide, and no parameter is sent.
  const schemaless = chat === undefined;
  const functionCalling = o?.functionCalling ?? facts?.functionCalling ?? live?.functionCalling;
  const vision = o?.vision ?? facts?.vision ?? live?.vision ?? false;
  const tools = !!functionCalling && (schemaless || fields.has("tools"));
  let json: JsonMode = "none";
  if (fields.has("response_format")) {
    json = format === "openai" ? "openai" : "response_format";
  } else if (fields.has("guided_json")) json = "guided_json";

  const options: WireOption[] = [];
  const ranges: Partial<Record<RangedParam, ParamRange>> = {};
  for (const name of SAMPLING) {
    const wire = name.wire === "max_tokens" && !fields.has("max_tokens")
      ? "max_completion_tokens"
      : name.wire;
    if (!fields.has(wire) || !params[wire]) continue;
    const option = fromPublished({ ...name, wire }, params[wire]);
    options.push(option);
    ranges[name.key] = rangeOf(option);
  }
  if (fields.has("raw") && params.raw) options.push(fromPublished(RAW, params.raw));
  // LoRA where the definition lists it and an input takes a `lora` field:
  // the chat input, or else the prompt input (see request.ts).
  const loraProperty = facts?.lora ?? live?.lora ?? false;
  const loraInput = !loraProperty
    ? undefined
    : fields.has("lora")
    ? "messages" as const
    : prompt?.fields.includes("lora")
    ? "prompt" as const
    : undefined;
  if (loraInput) options.push({ key: "lora", wire: "lora", kind: "string", description: LORA });
  // Each model's own efforts, only where its input has a reasoning_effort
  // field: a model whose reasoning is mandatory and has no such field gets none.
  const published = facts?.reasoningEffort?.supported ??
    params.reasoning_effort?.enum?.filter((v): v is string => typeof v === "string");
  const efforts = fields.has("reasoning_effort") ? published ?? [] : [];
  if (efforts.length > 0) {
    options.push({
      key: "reasoningEffort",
      wire: "reasoning_effort",
      kind: "enum",
      values: efforts,
      description: EFFORT,
    });
  }
  const maxDefault = params.max_tokens?.default;
  const deprecation = facts?.plannedDeprecationDate ?? live?.deprecationDate;
  const contextWindow = o?.contextWindow ?? facts?.contextWindow ?? live?.contextWindow;
  const spec: TextModelSpec = {
    id,
    label,
    format,
    tools,
    vision: !vision ? "none" : fields.has("image") ? "image-field" : "content-parts",
    json,
    reasoning: o?.reasoning ?? facts?.reasoning ?? live?.reasoning ?? false,
    params: ranges,
    lora: loraInput !== undefined,
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...((facts?.requireWorkersPaid ?? live?.paidOnly) ? { paidOnly: true } : {}),
    ...((facts?.beta ?? live?.beta) ? { beta: true } : {}),
    ...(deprecation ? { deprecation } : {}),
    ...((facts?.deprecated ?? live?.deprecated) ? { deprecated: true } : {}),
    efforts,
    toolChoice: tools && fields.has("tool_choice"),
    stop: fields.has("stop"),
    ...(loraInput ? { loraInput } : {}),
    fields: [...fields],
    promptFields: prompt?.fields ?? [],
    ...(typeof maxDefault === "number" ? { defaultMaxTokens: maxDefault } : {}),
    schemaless,
  };
  OPTIONS.set(spec, options);
  return spec;
}
