/**
 * Text generation requests: validation against the model's strict schema
 * (keys, parameter ranges, messages, tools, JSON mode, images) and what the
 * answer needs.
 *
 * @module
 */

import { type RangedParam, type TextModelSpec, textModelSpec } from "../text/catalog.ts";
import { ApiError, badInput, messageForCode } from "./errors.ts";
import { ALSO_GUIDED_JSON, type JsonAnswer, jsonStreamRefused, parseJsonMode } from "./jsonmode.ts";
import {
  parseToolChoice,
  parseTools,
  type PlannedCall,
  planToolCalls,
  type ToolDef,
  toolResultsText,
  validateToolHistory,
} from "./tools.ts";
import { contentText, countWords, isObject, typeName } from "./util.ts";
import { additionalProperties } from "./validate.ts";
import { type ImageInfo, imageSuffix, messageImages, parseImageField } from "./vision.ts";

/** Which endpoint a text request came through. */
type TextEndpoint = "run" | "chat-completions";

/** Top-level properties the native (Family N) schemas accept. */
const NATIVE_KEYS: ReadonlySet<string> = new Set([
  "messages",
  "prompt",
  "raw",
  "stream",
  "max_tokens",
  "temperature",
  "top_p",
  "top_k",
  "seed",
  "repetition_penalty",
  "frequency_penalty",
  "presence_penalty",
  "lora",
  "response_format",
  "guided_json",
  "tools",
  "functions",
  "image",
  "tool_choice",
]);

/** Top-level properties the OpenAI Chat Completions schemas accept. */
const OPENAI_KEYS: ReadonlySet<string> = new Set([
  "messages",
  "model",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "stop",
  "seed",
  "n",
  "presence_penalty",
  "frequency_penalty",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "reasoning_effort",
  "chat_template_kwargs",
  "logprobs",
  "top_logprobs",
  "user",
]);

/** Wire names of each ranged sampling parameter. */
const PARAM_WIRE_NAMES: readonly [RangedParam, readonly string[]][] = [
  ["temperature", ["temperature"]],
  ["maxOutputTokens", ["max_tokens", "max_completion_tokens"]],
  ["topP", ["top_p"]],
  ["topK", ["top_k"]],
  ["seed", ["seed"]],
  ["repetitionPenalty", ["repetition_penalty"]],
  ["frequencyPenalty", ["frequency_penalty"]],
  ["presencePenalty", ["presence_penalty"]],
];

/** Native-input models whose `/ai/run` output is an OpenAI `chat.completion`. */
const COMPLETION_OUTPUT_NATIVE: ReadonlySet<string> = new Set([
  "@cf/qwen/qwen3-30b-a3b-fp8",
  "@cf/aisingapore/gemma-sea-lion-v4-27b-it",
]);

/** Models whose `/ai/run` output is the hybrid `{response: null, choices, usage}`. */
const HYBRID_OUTPUT: ReadonlySet<string> = new Set(["@cf/google/gemma-4-26b-a4b-it"]);

const DEFAULT_MAX_TOKENS = 256;

function validateMessages(messages: unknown): Record<string, unknown>[] {
  if (!Array.isArray(messages)) {
    throw badInput(`Type mismatch of '/messages', '${typeName(messages)}' not in 'array'`);
  }
  messages.forEach((m, i) => {
    if (!isObject(m)) {
      throw badInput(`Type mismatch of '/messages/${i}', '${typeName(m)}' not in 'object'`);
    }
    if (typeof m.role !== "string") {
      throw badInput(`required properties at '/messages/${i}' are 'role'`);
    }
    const c = m.content;
    const ok = typeof c === "string" || Array.isArray(c) || isObject(c) ||
      ((c === null || c === undefined) && (m.role === "assistant" || m.role === "tool"));
    if (!ok) {
      throw badInput(
        `Type mismatch of '/messages/${i}/content', '${typeName(c)}' not in 'string'`,
      );
    }
  });
  return messages as Record<string, unknown>[];
}

function validateParams(body: Record<string, unknown>, spec: TextModelSpec): void {
  for (const [param, names] of PARAM_WIRE_NAMES) {
    for (const name of names) {
      const value = body[name];
      if (value === undefined || value === null) continue;
      const range = spec.params[param];
      if (!range) throw additionalProperties([name]);
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw badInput(`Type mismatch of '/${name}', '${typeName(value)}' not in 'number'`);
      }
      if (range.int && !Number.isInteger(value)) {
        throw badInput(`Type mismatch of '/${name}', 'number' not in 'integer'`);
      }
      if (value < range.min) {
        throw badInput(`Value ${value} at '/${name}' is less than minimum ${range.min}`);
      }
      if (value > range.max) {
        throw badInput(`Value ${value} at '/${name}' is greater than maximum ${range.max}`);
      }
    }
  }
}

/** A validated text request, ready to be answered. */
export interface TextRequest {
  /** Model id. */
  model: string;
  /** Whether an SSE stream was asked for. */
  stream: boolean;
  /** Whether the answer uses OpenAI shapes (`chat.completion` / chunks). */
  completionShape: boolean;
  /** Whether the `/ai/run` answer is the gemma-4 hybrid `{response: null, choices}`. */
  hybrid: boolean;
  /** Where reasoning goes: inline `<think>` in the text, a message field, or nowhere. */
  reasoning: "inline" | "reasoning" | "reasoning_content" | "none";
  /** Text of the last user message (or the prompt). */
  lastUserText: string;
  /** Words over all messages (or the prompt). */
  promptTokens: number;
  /** The token limit. */
  maxTokens: number;
  /** The text answer (before reasoning is added). */
  reply: string;
  /** The tool calls the model makes (empty when it answers text). */
  toolCalls: PlannedCall[];
  /** gpt-oss forced-call quirk: the call comes as JSON text in the content. */
  harmony: boolean;
  /** The JSON-mode answer, when JSON mode was asked for. */
  json?: JsonAnswer;
}

/**
 * Keys a model's schema has only when it supports the feature: a key listed
 * here and not supported is refused like any unknown key.
 */
function unsupportedKeys(
  body: Record<string, unknown>,
  spec: TextModelSpec,
  openaiInput: boolean,
): string[] {
  const out: string[] = [];
  const refuse = (key: string, supported: boolean) => {
    if (body[key] !== undefined && !supported) out.push(key);
  };
  refuse("tools", spec.tools);
  refuse("tool_choice", spec.tools);
  if (openaiInput) {
    refuse("response_format", spec.json !== "none");
  } else {
    refuse("response_format", spec.json === "response_format");
    refuse("guided_json", spec.json === "guided_json" || ALSO_GUIDED_JSON.has(spec.id));
    refuse("image", spec.vision === "image-field");
  }
  return out;
}

/**
 * Validates a text-generation body the way the model's schema does and
 * returns what the answer needs. Throws an {@linkcode ApiError} (5006, 5005)
 * when the body is refused.
 */
export function parseTextRequest(
  model: string,
  body: unknown,
  endpoint: TextEndpoint,
): TextRequest {
  const spec = textModelSpec(model);
  if (!isObject(body)) {
    throw badInput(`Type mismatch of '/', '${typeName(body)}' not in 'object'`);
  }
  const openaiInput = endpoint === "chat-completions" || spec.format === "openai";
  const allowed = openaiInput ? OPENAI_KEYS : NATIVE_KEYS;
  const extra = [
    ...Object.keys(body).filter((k) => !allowed.has(k)),
    ...unsupportedKeys(body, spec, openaiInput),
  ];
  if (extra.length > 0) throw additionalProperties(extra);
  const hasMessages = body.messages !== undefined;
  const hasPrompt = !openaiInput && body.prompt !== undefined;
  if (!hasMessages && !hasPrompt) {
    throw badInput(
      openaiInput
        ? "required properties at '/' are 'messages'"
        : "oneOf at '/' not met, 0 matches: required properties at '/' are 'prompt', " +
          "required properties at '/' are 'messages'",
    );
  }
  if (hasMessages && hasPrompt) {
    throw badInput("oneOf at '/' not met, 2 matches");
  }
  if (body.stream !== undefined && typeof body.stream !== "boolean") {
    throw badInput(`Type mismatch of '/stream', '${typeName(body.stream)}' not in 'boolean'`);
  }
  validateParams(body, spec);
  if (!openaiInput && body.lora !== undefined && !spec.lora) {
    throw new ApiError(405, 5005, messageForCode(5005, model));
  }

  let lastUserText = "";
  let promptTokens = 0;
  let lastIsUser = true;
  let resultsText: string | undefined;
  const images: ImageInfo[] = [];
  if (hasPrompt) {
    if (typeof body.prompt !== "string") {
      throw badInput(`Type mismatch of '/prompt', '${typeName(body.prompt)}' not in 'string'`);
    }
    if (body.prompt.length < 1) {
      throw badInput("String at '/prompt' is shorter than minLength 1");
    }
    lastUserText = body.prompt;
    promptTokens = countWords(body.prompt);
  } else {
    const messages = validateMessages(body.messages);
    for (const m of messages) {
      const text = contentText(m.content);
      promptTokens += countWords(text);
      if (m.role === "user") lastUserText = text;
    }
    lastIsUser = messages.at(-1)?.role === "user";
    const known = validateToolHistory(messages, model, openaiInput);
    resultsText = toolResultsText(messages, known);
    images.push(...messageImages(messages, spec));
  }
  if (!openaiInput && body.image !== undefined) images.push(parseImageField(body.image));

  let tools: ToolDef[] = [];
  if (body.tools !== undefined) tools = parseTools(body.tools, spec, openaiInput);
  const choice = parseToolChoice(body.tool_choice, tools);
  const toolCalls = planToolCalls(tools, choice, lastIsUser, lastUserText);
  const harmony = toolCalls.length > 0 && model.startsWith("@cf/openai/gpt-oss") &&
    (choice.kind === "required" || choice.kind === "named");

  const completionShape = endpoint === "chat-completions" || spec.format === "openai" ||
    COMPLETION_OUTPUT_NATIVE.has(model);
  const reply = resultsText ??
    `Hello from ${model}! You said: ${lastUserText}${imageSuffix(images)}`;
  const json = parseJsonMode(body, spec, openaiInput, completionShape, reply, lastUserText);
  if (json && body.stream === true) throw jsonStreamRefused();

  const kwargs = isObject(body.chat_template_kwargs) ? body.chat_template_kwargs : {};
  const thinkingOff = (kwargs.enable_thinking === false || kwargs.thinking === false) &&
    !model.startsWith("@cf/openai/");
  let reasoning: TextRequest["reasoning"] = "none";
  if (spec.reasoning && !thinkingOff) {
    if (spec.format === "native") reasoning = "inline";
    else if (model.startsWith("@cf/openai/") || model.startsWith("@cf/moonshotai/")) {
      reasoning = "reasoning";
    } else reasoning = "reasoning_content";
  }

  const limit = body.max_tokens ?? body.max_completion_tokens;
  return {
    model,
    stream: body.stream === true,
    completionShape,
    hybrid: endpoint === "run" && HYBRID_OUTPUT.has(model),
    reasoning,
    lastUserText,
    promptTokens,
    maxTokens: typeof limit === "number" ? limit : DEFAULT_MAX_TOKENS,
    reply,
    toolCalls: harmony ? toolCalls.slice(0, 1) : toolCalls,
    harmony,
    ...(json ? { json } : {}),
  };
}
