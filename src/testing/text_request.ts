/**
 * Text generation requests: what the answer needs (messages, tools, JSON
 * mode, images). On `/ai/run` the model's published input schema has judged
 * the body before (see `judge.ts`); on `/ai/v1/chat/completions` the OpenAI
 * keys are checked here and each parameter against the range its model
 * publishes for it.
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { ApiError, badInput, messageForCode, noSuchModel } from "./errors.ts";
import { judgeParams } from "./judge.ts";
import { type JsonAnswer, jsonStreamRefused, parseJsonMode } from "./jsonmode.ts";
import { textFacts } from "./text_facts.ts";
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

/** Top-level properties of an `/ai/v1/chat/completions` body. */
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

/**
 * Models whose `/ai/run` output is the hybrid `{response: null, choices, usage}`
 * (observed on gemma-4's raw `/run` result, reference S37 litellm#30974).
 */
const HYBRID_OUTPUT: ReadonlySet<string> = new Set(["@cf/google/gemma-4-26b-a4b-it"]);

/** The token limit when none is sent and the model's definition publishes no default. */
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

/** The published default of a model's `max_tokens` (2000 on some models), else 256. */
function publishedMaxTokens(model: string): number {
  const d = publishedModel(model)?.params.max_tokens?.default;
  return typeof d === "number" ? d : DEFAULT_MAX_TOKENS;
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
  /** Of those, how many were read from the prefix cache (set by the task; absent: unknown). */
  cachedTokens?: number;
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
 * Validates a text-generation body the way the model's schema does and
 * returns what the answer needs. Throws an {@linkcode ApiError} (5006, 5005)
 * when the body is refused.
 */
export function parseTextRequest(
  model: string,
  body: unknown,
  endpoint: TextEndpoint,
): TextRequest {
  const facts = textFacts(model);
  if (!facts) throw noSuchModel(model);
  if (!isObject(body)) {
    throw badInput(`Type mismatch of '/', '${typeName(body)}' not in 'object'`);
  }
  const openaiInput = endpoint === "chat-completions" || facts.openaiInput;
  if (endpoint === "chat-completions") {
    const extra = Object.keys(body).filter((k) => !OPENAI_KEYS.has(k));
    if (extra.length > 0) throw additionalProperties(extra);
    if (body.messages === undefined) throw badInput("required properties at '/' are 'messages'");
    judgeParams(model, body);
  }
  const hasMessages = body.messages !== undefined;
  // gpt-oss's Responses body (`input`) is answered as one user message.
  const hasPrompt = body.prompt !== undefined || (!hasMessages && body.input !== undefined);
  if (!hasMessages && !hasPrompt) {
    throw badInput(
      "oneOf at '/' not met, 0 matches: required properties at '/' are 'prompt', " +
        "required properties at '/' are 'messages'",
    );
  }
  if (hasMessages && hasPrompt) {
    throw badInput("oneOf at '/' not met, 2 matches");
  }
  if (body.stream !== undefined && typeof body.stream !== "boolean") {
    throw badInput(`Type mismatch of '/stream', '${typeName(body.stream)}' not in 'boolean'`);
  }
  if (endpoint === "run" && body.lora !== undefined && !facts.lora) {
    throw new ApiError(405, 5005, messageForCode(5005, model));
  }

  let lastUserText = "";
  let promptTokens = 0;
  let lastIsUser = true;
  let resultsText: string | undefined;
  const images: ImageInfo[] = [];
  if (hasPrompt) {
    const prompt = body.prompt ?? body.input;
    const text = typeof prompt === "string" ? prompt : contentText(prompt);
    if (typeof prompt !== "string" && !Array.isArray(prompt)) {
      throw badInput(`Type mismatch of '/prompt', '${typeName(prompt)}' not in 'string'`);
    }
    if (text.length < 1) throw badInput("String at '/prompt' is shorter than minLength 1");
    lastUserText = text;
    promptTokens = countWords(text);
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
    images.push(...messageImages(messages));
  }
  if (body.image !== undefined) images.push(parseImageField(body.image));

  let tools: ToolDef[] = [];
  if (body.tools !== undefined) tools = parseTools(body.tools, facts.openaiInput, openaiInput);
  const choice = parseToolChoice(body.tool_choice, tools);
  const toolCalls = planToolCalls(tools, choice, lastIsUser, lastUserText);
  const harmony = toolCalls.length > 0 && model.startsWith("@cf/openai/gpt-oss") &&
    (choice.kind === "required" || choice.kind === "named");

  const completionShape = endpoint === "chat-completions" || facts.completionOutput;
  const reply = resultsText ??
    `Hello from ${model}! You said: ${lastUserText}${imageSuffix(images)}`;
  const json = parseJsonMode(body, model, openaiInput, completionShape, reply, lastUserText);
  if (json && body.stream === true) throw jsonStreamRefused();

  const kwargs = isObject(body.chat_template_kwargs) ? body.chat_template_kwargs : {};
  const thinkingOff = (kwargs.enable_thinking === false || kwargs.thinking === false) &&
    !model.startsWith("@cf/openai/");
  let reasoning: TextRequest["reasoning"] = "none";
  if (facts.reasoning && !thinkingOff) {
    if (!facts.openaiInput) reasoning = "inline";
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
    maxTokens: typeof limit === "number" ? limit : publishedMaxTokens(model),
    reply,
    toolCalls: harmony ? toolCalls.slice(0, 1) : toolCalls,
    harmony,
    ...(json ? { json } : {}),
  };
}
