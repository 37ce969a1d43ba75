/**
 * A streamed Workers AI text answer back to Genkit chunks and a final
 * response.
 *
 * @module
 */
import type { Part } from "genkit";
import { parsePartialJson } from "genkit/extract";
import type { GenerateResponseChunkData, GenerateResponseData } from "genkit/model";
import type { StreamItem } from "../client/types.ts";
import type { TextModelSpec } from "./catalog.ts";
import type { TextConfig } from "./config.ts";
import {
  clientStops,
  finishReason,
  messageContent,
  parseAnswer,
  toResponse,
  toUsage,
  type WireUsage,
} from "./response.ts";
import { newCallId, parseArguments, withSalvagedCall } from "./tool_calls.ts";
import { StopCutter, ThinkSplitter } from "./split.ts";

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
export function carriesContent(ev: Record<string, unknown>): boolean {
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

export async function streamAnswer(
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
    if (reasoningDelta) reasoning += reasoningDelta;
    if (textDelta) text += textDelta;
    // One chunk per delta, built whole: most carry text only.
    if (!reasoningDelta) {
      if (textDelta) sendChunk({ content: [{ text: textDelta }] });
    } else {
      sendChunk({
        content: textDelta
          ? [{ reasoning: reasoningDelta }, { text: textDelta }]
          : [{ reasoning: reasoningDelta }],
      });
    }
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
