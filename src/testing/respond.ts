/**
 * Writing answers: the streaming body writer every model answer goes
 * through (so that cancels, closes and chunking behave alike), JSON, bytes
 * and server-sent events on top of it, and the in-flight bookkeeping of one
 * exchange.
 *
 * @module
 */

import { type ApiError, errorEnvelope, successEnvelope } from "./errors.ts";
import type { EmulatorState } from "./state.ts";
import type { TaskAnswer } from "./task_contract.ts";
import type { RecordedRequest } from "./types.ts";
import { tick, wait } from "./util.ts";

const encoder = new TextEncoder();

/** Thrown inside a body producer when the answer must stop. */
class Stopped extends Error {}

/**
 * One request being answered: its record and its in-flight bookkeeping.
 * `signal` aborts when the emulator closes.
 */
export class Exchange {
  #done = false;
  /** Starts an exchange; a `counted` one is in flight until finished. */
  constructor(
    readonly state: EmulatorState,
    readonly record: RecordedRequest,
    readonly counted: boolean,
    readonly signal: AbortSignal,
  ) {
    if (counted) {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    }
  }

  /** Ends the exchange (once), marking the record aborted if it was. */
  finish(aborted: boolean): void {
    if (this.#done) return;
    this.#done = true;
    if (aborted) this.record.aborted = true;
    if (this.counted) this.state.inFlight--;
  }
}

type Write = (chunk: string | Uint8Array) => Promise<void>;
type Produce = (write: Write, signal: AbortSignal) => Promise<void>;

/**
 * A response whose body is written by `produce`; the exchange finishes when the
 * body is complete, or as aborted when the client cancels it or the emulator
 * closes. With `chunkBytes`, each write leaves in network writes of at most
 * that many bytes.
 */
function bodyResponse(
  ex: Exchange,
  status: number,
  headers: Record<string, string>,
  produce: Produce,
  chunkBytes?: number,
): Response {
  ex.record.status = status;
  const cancel = new AbortController();
  const signal = AbortSignal.any([ex.signal, cancel.signal]);
  const queue: Uint8Array[] = [];
  let waiting: (() => void) | undefined;
  let finished = false;
  let failed: unknown;
  const wake = () => {
    const w = waiting;
    waiting = undefined;
    w?.();
  };
  const write: Write = async (chunk) => {
    if (signal.aborted) throw new Stopped();
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    const step = chunkBytes && chunkBytes > 0 ? chunkBytes : bytes.length;
    for (let i = 0; i < bytes.length; i += step) {
      if (i > 0 && !(await tick(signal))) throw new Stopped();
      queue.push(bytes.subarray(i, i + step));
      wake();
    }
  };
  produce(write, signal).then(
    () => {
      finished = true;
      wake();
    },
    (e) => {
      failed = e;
      finished = true;
      wake();
    },
  );
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (queue.length === 0 && !finished) {
        await new Promise<void>((r) => (waiting = r));
      }
      if (queue.length > 0) {
        controller.enqueue(queue.shift()!);
        return;
      }
      if (failed !== undefined || signal.aborted) {
        ex.finish(true);
        controller.error(new Error("answer interrupted"));
        return;
      }
      ex.finish(false);
      controller.close();
    },
    cancel() {
      ex.finish(true);
      cancel.abort();
      wake();
    },
  }, { highWaterMark: 0 });
  return new Response(stream, { status, headers });
}

/** A model answer with a raw body (text or bytes) of the given content type. */
export function rawResponse(
  ex: Exchange,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  chunkBytes?: number,
): Response {
  return bodyResponse(
    ex,
    status,
    { "content-type": contentType, ...headers },
    (write) => write(body),
    chunkBytes,
  );
}

/** A model answer with a JSON body. */
export function jsonResponse(
  ex: Exchange,
  status: number,
  text: string,
  headers: Record<string, string>,
  chunkBytes?: number,
): Response {
  return rawResponse(ex, status, "application/json", text, headers, chunkBytes);
}

/** A model answer refusing the request with a Cloudflare error envelope. */
export function errorResponse(
  ex: Exchange,
  e: ApiError,
  headers: Record<string, string>,
  chunkBytes?: number,
): Response {
  return jsonResponse(ex, e.status, errorEnvelope(e.code, e.message), headers, chunkBytes);
}

/** A plain (non-model) JSON response. */
export function plainJson(rec: RecordedRequest, status: number, text: string): Response {
  rec.status = status;
  return new Response(text, { status, headers: { "content-type": "application/json" } });
}

/** An answer to a request whose client went away or whose emulator closed. */
export function gone(ex: Exchange): Response {
  ex.finish(true);
  // The client will not read it; when closing, the broken body drops the connection.
  const body = new ReadableStream({
    start(c) {
      c.error(new Error("emulator closed"));
    },
  });
  return new Response(body, { status: 503 });
}

/** How a server-sent event stream is written and how it ends (scripted by stream faults). */
export interface StreamPlan {
  /** Line ending of the event lines. */
  eol: "\n" | "\r\n";
  /** Most data events sent. */
  limit: number;
  /** After them: `[DONE]`, nothing (the body just ends), or an in-stream error event. */
  end: { kind: "done" } | { kind: "cut" } | { kind: "error"; message: string };
  /** Largest network write, if limited. */
  chunkBytes?: number;
}

function sseResponse(
  ex: Exchange,
  events: readonly unknown[],
  plan: StreamPlan,
  headers: Record<string, string>,
): Response {
  const { eol, limit, end } = plan;
  const gap = ex.state.streamEventDelayMs;
  const first = ex.state.streamFirstEventDelayMs;
  return bodyResponse(
    ex,
    200,
    { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers },
    async (write, signal) => {
      let sent = 0;
      for (const event of events) {
        if (sent >= limit) break;
        const pause = sent > 0 ? gap : first;
        if ((sent > 0 || first > 0) && !(await wait(pause, signal))) throw new Stopped();
        await write(`data: ${JSON.stringify(event)}${eol}${eol}`);
        sent++;
      }
      if (end.kind === "cut") return;
      if (!(await wait(gap, signal))) throw new Stopped();
      if (end.kind === "error") {
        const event = { error: { message: end.message, code: 3040 }, success: false };
        await write(`data: ${JSON.stringify(event)}${eol}${eol}`);
        return;
      }
      await write(`data: [DONE]${eol}${eol}`);
    },
    plan.chunkBytes,
  );
}

/**
 * The response of a task's answer: bytes as they are, events as a stream
 * written per `stream`, a result in the success envelope (`envelope`, the
 * `/ai/run` form) or bare (the `/ai/v1/*` form).
 */
export function taskResponse(
  ex: Exchange,
  answer: TaskAnswer,
  options: {
    envelope: boolean;
    stream: StreamPlan;
    headers: Record<string, string>;
    chunkBytes?: number;
  },
): Response {
  const { headers, chunkBytes } = options;
  if ("bytes" in answer) {
    return rawResponse(ex, 200, answer.contentType, answer.bytes, headers, chunkBytes);
  }
  if ("events" in answer) return sseResponse(ex, answer.events, options.stream, headers);
  const text = options.envelope ? successEnvelope(answer.result) : JSON.stringify(answer.result);
  return jsonResponse(ex, 200, text, headers, chunkBytes);
}
