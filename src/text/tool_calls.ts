/**
 * Tool calls in Workers AI answers: the call ids the plugin makes, the
 * arguments as they come (objects, JSON strings, partial JSON), the shapes
 * of the different model families, and the call some models write as their
 * answer's text.
 *
 * @module
 */
import type { Part } from "genkit";
import { parsePartialJson } from "genkit/extract";

/** A call id that every Workers AI model accepts back (mistral-small-3.1 needs 9 alphanumerics). */
export function newCallId(): string {
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  let id = "";
  for (const b of bytes) id += chars[b % chars.length];
  return id;
}

/** A call's arguments: an object as sent, a JSON string parsed, partial JSON salvaged. */
export function parseArguments(args: unknown): unknown {
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

/**
 * gpt-oss (harmony) sometimes answers a forced tool call as JSON text with no
 * `tool_calls` (cloudflare/ai#560): recover it when the text is a call to one
 * of the offered tools, and only then.
 */
function salvageToolCall(text: string, offered: ReadonlySet<string>): Part | undefined {
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

/** Applies {@link salvageToolCall} to a parsed answer (its text and tool requests). */
export function withSalvagedCall<A extends { text: string; toolRequests: Part[] }>(
  answer: A,
  offered: ReadonlySet<string>,
): A {
  if (answer.toolRequests.length > 0) return answer;
  const call = salvageToolCall(answer.text, offered);
  return call ? { ...answer, text: "", toolRequests: [call] } : answer;
}
