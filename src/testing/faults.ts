/**
 * Scripted faults: which queued fault a request takes, the answer a fault
 * gives instead of the model's, and how it reshapes a stream.
 *
 * @module
 */

import { codeForStatus, errorEnvelope, messageForCode, statusForCode } from "./errors.ts";
import { type Exchange, jsonResponse, rawResponse, type StreamPlan } from "./respond.ts";
import type { EmulatorState } from "./state.ts";
import type { Fault } from "./types.ts";

const STREAM_ONLY_KEYS = ["cutAfterEvents", "errorAfterEvents", "jsonForStream", "crlf"] as const;
const GENERAL_KEYS = [
  "status",
  "code",
  "message",
  "body",
  "malformed",
  "hang",
  "delayMs",
  "chunkBytes",
  "retryAfter",
  "echoHeaders",
] as const;

/** Whether a fault is made only of stream modifiers (it then waits for a stream request). */
function streamOnly(f: Fault): boolean {
  return STREAM_ONLY_KEYS.some((k) => f[k] !== undefined) &&
    !GENERAL_KEYS.some((k) => f[k] !== undefined);
}

/**
 * Takes the first queued fault that applies to a request (for `model`, a
 * stream or not, model request or model search), counting one use of it.
 */
export function takeFault(
  state: EmulatorState,
  model: string | undefined,
  stream: boolean,
  target: "model" | "models-search" = "model",
): Fault | undefined {
  const i = state.faults.findIndex(({ fault }) =>
    (fault.target ?? "model") === target &&
    (fault.model === undefined || fault.model === model) && (stream || !streamOnly(fault))
  );
  if (i < 0) return undefined;
  const entry = state.faults[i];
  entry.remaining--;
  if (entry.remaining <= 0) state.faults.splice(i, 1);
  return entry.fault;
}

/** A fault's message, with the request's headers appended when the fault echoes them. */
function withHeaders(ex: Exchange, fault: Fault, message: string): string {
  return fault.echoHeaders
    ? `${message} (request headers: ${JSON.stringify(ex.record.headers)})`
    : message;
}

/**
 * The answer a fault gives instead of the model's: its raw body, a malformed
 * JSON body, or an error envelope; `undefined` when it only modifies the
 * normal answer (delays, chunking, stream faults).
 */
export function faultResponse(
  ex: Exchange,
  fault: Fault,
  headers: Record<string, string>,
): Response | undefined {
  const h = { ...headers };
  if (fault.retryAfter !== undefined) h["retry-after"] = String(fault.retryAfter);
  if (fault.body !== undefined) {
    const type = fault.contentType ??
      (typeof fault.body === "string" ? "text/html" : "application/octet-stream");
    return rawResponse(ex, fault.status ?? 200, type, fault.body, h, fault.chunkBytes);
  }
  if (fault.malformed) {
    return jsonResponse(
      ex,
      fault.status ?? 200,
      '{"result":{"response":"Hello from the emulator, this body is cut',
      h,
      fault.chunkBytes,
    );
  }
  if (fault.status !== undefined || fault.code !== undefined) {
    const code = fault.code ?? codeForStatus(fault.status!);
    const status = fault.status ?? statusForCode(code);
    const message = withHeaders(ex, fault, fault.message ?? messageForCode(code, ex.record.model));
    return jsonResponse(ex, status, errorEnvelope(code, message), h, fault.chunkBytes);
  }
  return undefined;
}

/** How a stream is written under a fault (or none). */
export function streamPlan(ex: Exchange, fault: Fault | undefined): StreamPlan {
  const end: StreamPlan["end"] = fault?.errorAfterEvents !== undefined
    ? { kind: "error", message: withHeaders(ex, fault, "No capacity") }
    : fault?.cutAfterEvents !== undefined
    ? { kind: "cut" }
    : { kind: "done" };
  return {
    eol: fault?.crlf ? "\r\n" : "\n",
    limit: fault?.cutAfterEvents ?? fault?.errorAfterEvents ?? Infinity,
    end,
    chunkBytes: fault?.chunkBytes,
  };
}
