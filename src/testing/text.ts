/**
 * Text generation: request validation against the model's strict schema and
 * the deterministic answer, as a JSON result or as a list of stream events.
 *
 * @module
 */

import { type RangedParam, type TextModelSpec, textModelSpec } from "../text/catalog.ts";
import { ApiError, badInput, messageForCode } from "./errors.ts";
import { ALSO_GUIDED_JSON, type JsonAnswer, jsonStreamRefused, parseJsonMode } from "./jsonmode.ts";
import {
  parseToolChoice,
  parseTools,
  pieces,
  type PlannedCall,
  planToolCalls,
  toolCallId,
  type ToolDef,
  toolResultsText,
  validateToolHistory,
} from "./tools.ts";
import { contentText, countWords, hash32, isObject, tokenize, typeName } from "./util.ts";
import { type ImageInfo, imageSuffix, messageImages, parseImageField } from "./vision.ts";

export { contentText };

/** Which endpoint a text request came through. */
export type TextEndpoint = "run" | "chat-completions";

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
      if (!range) {
        throw badInput(`Additional or unevaluated properties '/${name}' at '/' not allowed`);
      }
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
  if (extra.length > 0) {
    throw badInput(
      `Additional or unevaluated properties '${
        extra.map((k) => `/${k}`).join(", ")
      }' at '/' not allowed`,
    );
  }
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

/** The generated tokens of an answer. */
interface Generation {
  reasoningTokens: string[];
  contentTokens: string[];
  finishReason: "stop" | "length" | "tool_calls";
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function usageOf(req: TextRequest, completion: number): Generation["usage"] {
  return {
    prompt_tokens: req.promptTokens,
    completion_tokens: completion,
    total_tokens: req.promptTokens + completion,
  };
}

/** The JSON text of a call's arguments. */
function argumentsText(call: PlannedCall): string {
  return JSON.stringify(call.arguments);
}

function generate(req: TextRequest): Generation {
  const thinking = `Thinking about: ${req.lastUserText}`;
  const reasoning = req.reasoning === "reasoning" || req.reasoning === "reasoning_content"
    ? tokenize(thinking)
    : [];
  if (req.toolCalls.length > 0 && !req.harmony) {
    // One token for each call's name, one for each 8-character piece of its arguments.
    const callTokens = req.toolCalls.reduce(
      (n, c) => n + 1 + pieces(argumentsText(c)).length,
      0,
    );
    return {
      reasoningTokens: reasoning,
      contentTokens: [],
      finishReason: "tool_calls",
      usage: usageOf(req, reasoning.length + callTokens),
    };
  }
  if (req.harmony || req.json) {
    // Constrained output is never cut short; its tokens are 8-character pieces.
    const text = req.harmony
      ? JSON.stringify({ name: req.toolCalls[0].name, arguments: req.toolCalls[0].arguments })
      : JSON.stringify(req.json!.value);
    const content = pieces(text);
    return {
      reasoningTokens: reasoning,
      contentTokens: content,
      finishReason: "stop",
      usage: usageOf(req, reasoning.length + content.length),
    };
  }
  const content = tokenize(
    req.reasoning === "inline" ? `<think>\n${thinking}\n</think>\n\n${req.reply}` : req.reply,
  );
  const all = [...reasoning, ...content];
  const emitted = all.slice(0, req.maxTokens);
  return {
    reasoningTokens: emitted.slice(0, reasoning.length),
    contentTokens: emitted.slice(reasoning.length),
    finishReason: all.length > req.maxTokens ? "length" : "stop",
    usage: usageOf(req, emitted.length),
  };
}

/** Identity of one completion answer (`chatcmpl-<n>`, creation time). */
export interface CompletionIds {
  /** The completion id. */
  id: string;
  /** Unix seconds. */
  created: number;
}

const SCOUT = "@cf/meta/llama-4-scout-17b-16e-instruct";

/** The non-streaming answer: the `/ai/run` `result`, or the `/ai/v1` body. */
export function textResult(req: TextRequest, ids: CompletionIds): unknown {
  const gen = generate(req);
  const text = gen.contentTokens.join("");
  const calling = gen.finishReason === "tool_calls";
  if (!req.completionShape) {
    if (calling && req.model === SCOUT) {
      return {
        response: "",
        tool_calls: req.toolCalls.map((c, i) => ({
          id: toolCallId(req.model, ids.id, i),
          type: "function",
          function: { name: c.name, arguments: c.arguments },
        })),
        usage: gen.usage,
      };
    }
    if (calling) {
      return {
        response: null,
        tool_calls: req.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })),
        usage: gen.usage,
      };
    }
    const response = req.json?.form === "value" ? req.json.value : text;
    return { response, tool_calls: [], usage: gen.usage };
  }
  const message: Record<string, unknown> = { role: "assistant", content: calling ? null : text };
  if (req.reasoning === "reasoning" || req.reasoning === "reasoning_content") {
    message[req.reasoning] = gen.reasoningTokens.join("");
  }
  message.tool_calls = calling
    ? req.toolCalls.map((c, i) => ({
      id: toolCallId(req.model, ids.id, i),
      type: "function",
      function: { name: c.name, arguments: argumentsText(c) },
    }))
    : [];
  const completion = {
    id: ids.id,
    object: "chat.completion",
    created: ids.created,
    model: req.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: gen.finishReason }],
    usage: { ...gen.usage, prompt_tokens_details: { cached_tokens: 0 } },
  };
  return req.hybrid ? { response: null, ...completion } : completion;
}

const PAD_ALPHABET = "abdefghijklmnoprstuvxyz1234567890abdefghijklmnoprstuvxyz1234567890";

/** The `p` padding of native stream event `i`: a prefix of varying length. */
function pad(req: TextRequest, i: number): string {
  const n = 1 + (hash32(`${req.model}:${req.promptTokens}:${i}`) % 48);
  return PAD_ALPHABET.slice(0, n);
}

/**
 * Native stream events of tool calls: per call a start event (id, type,
 * index, name), argument deltas of 8 characters, and a finalize event.
 */
function nativeToolEvents(req: TextRequest, ids: CompletionIds): unknown[] {
  const events: unknown[] = [];
  req.toolCalls.forEach((c, index) => {
    events.push({
      response: "",
      tool_calls: [{
        id: toolCallId(req.model, ids.id, index),
        type: "function",
        index,
        function: { name: c.name },
      }],
      p: pad(req, events.length),
    });
    for (const piece of pieces(argumentsText(c))) {
      events.push({
        tool_calls: [{ index, function: { arguments: piece } }],
        p: pad(req, events.length),
      });
    }
    events.push({ tool_calls: [{ index, id: null, type: null, function: { name: null } }] });
  });
  return events;
}

/** The data events of the streaming answer (without the final `[DONE]`). */
export function textEvents(req: TextRequest, ids: CompletionIds): unknown[] {
  const gen = generate(req);
  const calling = gen.finishReason === "tool_calls";
  if (!req.completionShape) {
    if (calling) return [...nativeToolEvents(req, ids), { response: "", usage: gen.usage }];
    const events: unknown[] = [{ response: "", tool_calls: [], p: pad(req, 0) }];
    gen.contentTokens.forEach((t, i) => {
      events.push({ response: t, tool_calls: [], p: pad(req, i + 1) });
    });
    events.push({ tool_calls: [], p: pad(req, gen.contentTokens.length + 1) });
    events.push({ response: "", usage: gen.usage });
    return events;
  }
  const head = {
    id: ids.id,
    object: "chat.completion.chunk",
    created: ids.created,
    model: req.model,
  };
  const chunk = (delta: Record<string, unknown>) => ({
    ...head,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
  });
  const events: unknown[] = [chunk({ role: "assistant", content: "" })];
  for (const t of gen.reasoningTokens) events.push(chunk({ [req.reasoning]: t }));
  for (const t of gen.contentTokens) events.push(chunk({ content: t }));
  if (calling) {
    req.toolCalls.forEach((c, index) => {
      events.push(chunk({
        tool_calls: [{
          index,
          id: toolCallId(req.model, ids.id, index),
          type: "function",
          function: { name: c.name, arguments: "" },
        }],
      }));
      for (const piece of pieces(argumentsText(c))) {
        events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    });
  }
  events.push({
    ...head,
    choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: gen.finishReason }],
    usage: { ...gen.usage, prompt_tokens_details: { cached_tokens: 0 } },
  });
  return events;
}
