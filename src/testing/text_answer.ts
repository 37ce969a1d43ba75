/**
 * Text generation answers: the deterministic tokens of a validated request,
 * shaped as each model answers them, as a JSON result or as the data events
 * of a stream.
 *
 * @module
 */

import type { TextRequest } from "./text_request.ts";
import { pieces, type PlannedCall, toolCallId } from "./tools.ts";
import { hash32, tokenize } from "./util.ts";

/** The generated tokens of an answer. */
interface Generation {
  reasoningTokens: string[];
  contentTokens: string[];
  finishReason: "stop" | "length" | "tool_calls";
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details?: { cached_tokens: number };
  };
}

function usageOf(req: TextRequest, completion: number): Generation["usage"] {
  return {
    prompt_tokens: req.promptTokens,
    completion_tokens: completion,
    total_tokens: req.promptTokens + completion,
    // Workers AI reports cache reads in usage.prompt_tokens_details (reference: prompt caching).
    ...(req.cachedTokens === undefined
      ? {}
      : { prompt_tokens_details: { cached_tokens: req.cachedTokens } }),
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
    usage: { prompt_tokens_details: { cached_tokens: 0 }, ...gen.usage },
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
    usage: { prompt_tokens_details: { cached_tokens: 0 }, ...gen.usage },
  });
  return events;
}
