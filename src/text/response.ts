/**
 * A Workers AI text answer (either wire format) back to a Genkit response:
 * text, reasoning, tool requests, usage and finish reason.
 *
 * @module
 */
import { toToolRequests } from "./tool_calls.ts";
import type { Part } from "genkit";
import type { GenerateResponseData, GenerationUsage } from "genkit/model";
import type { TextModelSpec } from "./catalog.ts";
import type { TextConfig } from "./config.ts";
import { cutAtStop, splitThinking } from "./split.ts";

// ---------------------------------------------------------------------------
// Response translation

export interface WireUsage {
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

export function finishReason(
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
  // when it produced that many tokens, the limit being the caller's or the
  // model's published default (256 on some models, 2000 on others).
  const limit = config.maxOutputTokens ?? spec.defaultMaxTokens;
  const produced = answer.usage?.completion_tokens;
  if (limit !== undefined && produced !== undefined && produced >= limit) return "length";
  return answer.finishReason === undefined ? "stop" : "other";
}

export function messageContent(reasoning: string, text: string, toolRequests: Part[]): Part[] {
  const content: Part[] = [];
  if (reasoning) content.push({ reasoning });
  if (text || toolRequests.length === 0) content.push({ text });
  content.push(...toolRequests);
  return content;
}

/** Client-side stop sequences apply where the model's published input has no `stop` field. */
export function clientStops(spec: TextModelSpec, config: TextConfig): string[] {
  return spec.stop ? [] : (config.stopSequences ?? []);
}

export function toResponse(
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

/**
 * Adds the parsed JSON-mode answer as a `data` part beside its text, so that
 * answers Genkit's JSON extraction does not find in text (a bare number or
 * string) still become `output`.
 */
export function withJsonData(response: GenerateResponseData): GenerateResponseData {
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
