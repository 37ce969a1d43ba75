/**
 * The shape of a text model's facts (`TextModelSpec` and what it holds):
 * what the catalog lists and what `derive.ts` makes from the published
 * definitions. It imports neither, so that both can import it.
 *
 * @module
 */

/**
 * An inclusive numeric range a sampling parameter must fall in.
 *
 * @example
 * ```ts
 * import { type ParamRange, TEXT_MODELS } from "@x/cloudflare-ai/models";
 *
 * // Brings a value into a model's documented range.
 * function clamp(value: number, range: ParamRange): number {
 *   const v = Math.min(range.max, Math.max(range.min, value));
 *   return range.int ? Math.round(v) : v;
 * }
 * const gptOss = TEXT_MODELS.find((m) => m.id === "@cf/openai/gpt-oss-120b")!;
 * clamp(3, gptOss.params.temperature!); // 2
 * ```
 */
export interface ParamRange {
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value. */
  max: number;
  /** Whether the value must be a whole number. */
  int?: boolean;
}

/**
 * The sampling parameters whose ranges differ per model (camelCase, as in the config).
 *
 * @example
 * ```ts
 * import { type RangedParam, TEXT_MODELS } from "@x/cloudflare-ai/models";
 *
 * const gptOss = TEXT_MODELS.find((m) => m.id === "@cf/openai/gpt-oss-120b")!;
 * const wanted: RangedParam[] = ["temperature", "topK", "repetitionPenalty"];
 * const refused = wanted.filter((p) => !(p in gptOss.params)); // ["topK", "repetitionPenalty"]
 * ```
 */
export type RangedParam =
  | "temperature"
  | "maxOutputTokens"
  | "topP"
  | "topK"
  | "seed"
  | "repetitionPenalty"
  | "frequencyPenalty"
  | "presencePenalty";

/**
 * The two incompatible text wire formats of Workers AI:
 * `native` answers `{response, tool_calls, usage}`; `openai` takes and answers
 * OpenAI Chat Completions bodies, even on `/ai/run`.
 *
 * @example
 * ```ts
 * import { TEXT_MODELS, type TextWireFormat } from "@x/cloudflare-ai/models";
 *
 * const format: TextWireFormat = "openai";
 * const chatCompletions = TEXT_MODELS.filter((m) => m.format === format).map((m) => m.id);
 * // ["@cf/openai/gpt-oss-120b", "@cf/openai/gpt-oss-20b", "@cf/zai-org/glm-4.7-flash", ...]
 * ```
 */
export type TextWireFormat = "native" | "openai";

/**
 * How a model takes images.
 *
 * @example
 * ```ts
 * import { TEXT_MODELS, type VisionInput } from "@x/cloudflare-ai/models";
 *
 * function visionOf(id: string): VisionInput {
 *   return TEXT_MODELS.find((m) => m.id === id)?.vision ?? "none";
 * }
 * visionOf("@cf/google/gemma-4-26b-a4b-it"); // "content-parts"
 * visionOf("@cf/meta/llama-3.2-11b-vision-instruct"); // "image-field": one image per request
 * ```
 */
export type VisionInput = "none" | "content-parts" | "image-field";

/**
 * How a model does constrained JSON output.
 *
 * @example
 * ```ts
 * import { type JsonMode, TEXT_MODELS } from "@x/cloudflare-ai/models";
 *
 * // Native-format models that constrain their answer to the schema of
 * // ai.generate({ output: { schema } }).
 * const nativeJson: JsonMode[] = ["response_format", "guided_json"];
 * const ids = TEXT_MODELS.filter((m) => nativeJson.includes(m.json)).map((m) => m.id);
 * ```
 */
export type JsonMode = "none" | "response_format" | "guided_json" | "openai";

/**
 * Everything the plugin knows about one text-generation model.
 *
 * @example
 * ```ts
 * import { TEXT_MODELS, type TextModelSpec } from "@x/cloudflare-ai/models";
 *
 * function describe(spec: TextModelSpec): string {
 *   const images = spec.vision === "none" ? "no images" : "images";
 *   return `${spec.label}: ${spec.format} format, tools: ${spec.tools}, ${images}`;
 * }
 * for (const spec of TEXT_MODELS) console.log(describe(spec));
 * ```
 */
export interface TextModelSpec {
  /** Workers AI model id, e.g. `@cf/meta/llama-3.3-70b-instruct-fp8-fast`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** The wire format of its requests and answers. */
  format: TextWireFormat;
  /** Whether the model takes `tools`. */
  tools: boolean;
  /** How (if at all) the model takes images. */
  vision: VisionInput;
  /** The model's JSON mode mechanism. */
  json: JsonMode;
  /** Whether the model returns reasoning (thinking) text. */
  reasoning: boolean;
  /** Accepted values per sampling parameter; a parameter absent here is not accepted. */
  params: Partial<Record<RangedParam, ParamRange>>;
  /** Whether the model takes the `lora` adapter parameter. */
  lora: boolean;
  /** Context window in tokens, where documented. */
  contextWindow?: number;
  /** Whether the model is available only on the Workers Paid plan (code 5035 otherwise). */
  paidOnly?: boolean;
  /** Whether the model is in beta. */
  beta?: boolean;
  /** Its published planned deprecation date (`YYYY-MM-DD`), when set. */
  deprecation?: string;
  /** Whether Cloudflare marks it deprecated. */
  deprecated?: boolean;
  /** The reasoning efforts it takes (`reasoning_effort`), none when it has no such field. */
  efforts: readonly string[];
  /** Whether its input has `tool_choice`. */
  toolChoice: boolean;
  /** Whether its input has `stop` (otherwise stop sequences are applied by the plugin). */
  stop: boolean;
  /** Which input takes `lora`: the chat one, or only the prompt one. */
  loraInput?: "messages" | "prompt";
  /** The fields of its published chat (`messages`) input. */
  fields: readonly string[];
  /** The fields of its published prompt-only input. */
  promptFields: readonly string[];
  /** The published default of `max_tokens`, when there is one. */
  defaultMaxTokens?: number;
  /** Whether no chat input is published for it (no parameter is then sent). */
  schemaless: boolean;
}
