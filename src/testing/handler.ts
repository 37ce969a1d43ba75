/**
 * The emulator's core: a web-standard `(request) => Promise<Response>` handler
 * doing routing, auth, request recording, scripted faults and the answers.
 *
 * @module
 */

import { knownTextModel } from "../text/catalog.ts";
import {
  embeddingModel,
  embeddingResult,
  openAIEmbeddings,
  RERANKER_MODEL,
  rerankResult,
} from "./embeddings.ts";
import {
  ApiError,
  badInput,
  codeForStatus,
  errorEnvelope,
  messageForCode,
  noSuchModel,
  statusForCode,
  successEnvelope,
} from "./errors.ts";
import { searchModels } from "./models.ts";
import { parseTextRequest, textEvents, type TextRequest, textResult } from "./text.ts";
import type { EmulatorOptions, EmulatorRoute, Fault, RecordedRequest } from "./types.ts";
import { isObject, tick, untilAborted, wait } from "./util.ts";

/** The mutable state of one emulator. */
export interface EmulatorState {
  /** Expected account id. */
  readonly accountId: string;
  /** Expected API token. */
  readonly apiToken: string;
  /** Service time option. */
  readonly serviceTimeMs: number | ((req: RecordedRequest) => number);
  /** Gap between SSE events. */
  readonly streamEventDelayMs: number;
  /** Every request received. */
  requests: RecordedRequest[];
  /** Queued faults with their remaining uses. */
  faults: { fault: Fault; remaining: number }[];
  /** Model requests being answered now. */
  inFlight: number;
  /** Most model requests ever in flight at once. */
  maxInFlight: number;
  /** Aborted when the emulator closes. */
  readonly closing: AbortController;
  /** Counter for `chatcmpl-<n>` ids. */
  completions: number;
  /** Whether the Llama 3.2 Vision license must be agreed to first. */
  readonly requireLicenseAgreement: boolean;
  /** Whether a `{"prompt": "agree"}` request to Llama 3.2 Vision was received. */
  licenseAgreed: boolean;
}

/** Creates the state of an emulator from its options. */
export function createState(options: EmulatorOptions = {}): EmulatorState {
  return {
    accountId: options.accountId ?? "emulator-account",
    apiToken: options.apiToken ?? "emulator-token",
    serviceTimeMs: options.serviceTimeMs ?? 0,
    streamEventDelayMs: options.streamEventDelayMs ?? 0,
    requests: [],
    faults: [],
    inFlight: 0,
    maxInFlight: 0,
    closing: new AbortController(),
    completions: 0,
    requireLicenseAgreement: options.requireLicenseAgreement ?? false,
    licenseAgreed: false,
  };
}

const MODEL_ROUTES: ReadonlySet<EmulatorRoute> = new Set([
  "run",
  "gateway",
  "chat-completions",
  "embeddings",
]);

/** What kind of answer a model request wants. */
type ModelOp = "run" | "chat-completions" | "embeddings";

interface Routed {
  route: EmulatorRoute;
  op?: ModelOp;
  account?: string;
  model?: string;
  /** The path after `/client/v4` (or the gateway base), for routing errors. */
  tail: string;
}

function routeOf(path: string, body: unknown): Routed {
  const bodyModel = isObject(body) && typeof body.model === "string" ? body.model : undefined;
  const rest = /^\/client\/v4(\/accounts\/([^/]+)\/ai\/(.*))$/.exec(path);
  if (rest) {
    const [, tail, account, sub] = rest;
    if (sub.startsWith("run/") && sub.length > 4) {
      return { route: "run", op: "run", account, model: sub.slice(4), tail };
    }
    if (sub === "v1/chat/completions") {
      return { route: "chat-completions", op: "chat-completions", account, model: bodyModel, tail };
    }
    if (sub === "v1/embeddings") {
      return { route: "embeddings", op: "embeddings", account, model: bodyModel, tail };
    }
    if (sub === "models/search") return { route: "models-search", account, tail };
    return { route: "other", account, tail };
  }
  const gw = /^\/gateway\/v1(\/([^/]+)\/[^/]+\/workers-ai\/(.*))$/.exec(path);
  if (gw) {
    const [, tail, account, sub] = gw;
    if (sub === "v1/chat/completions") {
      return { route: "gateway", op: "chat-completions", account, model: bodyModel, tail };
    }
    if (sub === "v1/embeddings") {
      return { route: "gateway", op: "embeddings", account, model: bodyModel, tail };
    }
    const model = sub.startsWith("run/") ? sub.slice(4) : sub;
    if (model.length > 0) return { route: "gateway", op: "run", account, model, tail };
  }
  return { route: "other", tail: path };
}

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

function streamOnly(f: Fault): boolean {
  return STREAM_ONLY_KEYS.some((k) => f[k] !== undefined) &&
    !GENERAL_KEYS.some((k) => f[k] !== undefined);
}

function takeFault(
  state: EmulatorState,
  model: string | undefined,
  stream: boolean,
  target: "model" | "models-search" = "model",
) {
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

const encoder = new TextEncoder();

/** Thrown inside a body producer when the answer must stop. */
class Stopped extends Error {}

/**
 * One request being answered: its record and its in-flight bookkeeping.
 * `signal` aborts when the emulator closes.
 */
class Exchange {
  #done = false;
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

  finish(aborted: boolean): void {
    if (this.#done) return;
    this.#done = true;
    if (aborted) this.record.aborted = true;
    if (this.counted) this.state.inFlight--;
  }
}

type Produce = (write: (text: string) => Promise<void>, signal: AbortSignal) => Promise<void>;

/**
 * A response whose body is written by `produce`; the exchange finishes when the
 * body is complete, or as aborted when the client cancels it or the emulator
 * closes.
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
  const write = async (text: string) => {
    if (signal.aborted) throw new Stopped();
    const bytes = encoder.encode(text);
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

function jsonBody(
  ex: Exchange,
  status: number,
  text: string,
  headers: Record<string, string>,
  chunkBytes?: number,
): Response {
  return bodyResponse(
    ex,
    status,
    { "content-type": "application/json", ...headers },
    (write) => write(text),
    chunkBytes,
  );
}

/** A plain (non-model) JSON response. */
function plainJson(rec: RecordedRequest, status: number, text: string): Response {
  rec.status = status;
  return new Response(text, { status, headers: { "content-type": "application/json" } });
}

/** An answer to a request whose client went away or whose emulator closed. */
function gone(ex: Exchange): Response {
  ex.finish(true);
  // The client will not read it; when closing, the broken body drops the connection.
  const body = new ReadableStream({
    start(c) {
      c.error(new Error("emulator closed"));
    },
  });
  return new Response(body, { status: 503 });
}

function sse(
  ex: Exchange,
  events: unknown[],
  fault: Fault | undefined,
  extra: Record<string, string>,
) {
  const eol = fault?.crlf ? "\r\n" : "\n";
  const gap = ex.state.streamEventDelayMs;
  return bodyResponse(
    ex,
    200,
    { "content-type": "text/event-stream", "cache-control": "no-cache", ...extra },
    async (write, signal) => {
      const limit = fault?.cutAfterEvents ?? fault?.errorAfterEvents ?? Infinity;
      let sent = 0;
      for (const event of events) {
        if (sent >= limit) break;
        if (sent > 0 && !(await wait(gap, signal))) throw new Stopped();
        await write(`data: ${JSON.stringify(event)}${eol}${eol}`);
        sent++;
      }
      if (fault?.errorAfterEvents !== undefined) {
        if (!(await wait(gap, signal))) throw new Stopped();
        const message = withHeaders(ex, fault, "No capacity");
        const event = { error: { message, code: 3040 }, success: false };
        await write(`data: ${JSON.stringify(event)}${eol}${eol}`);
        return;
      }
      if (fault?.cutAfterEvents !== undefined) return;
      if (!(await wait(gap, signal))) throw new Stopped();
      await write(`data: [DONE]${eol}${eol}`);
    },
    fault?.chunkBytes,
  );
}

function faultAnswer(
  ex: Exchange,
  fault: Fault,
  headers: Record<string, string>,
): Response | undefined {
  const h = { ...headers };
  if (fault.retryAfter !== undefined) h["retry-after"] = String(fault.retryAfter);
  if (fault.body !== undefined) {
    return bodyResponse(
      ex,
      fault.status ?? 200,
      { "content-type": fault.contentType ?? "text/html", ...h },
      (write) => write(fault.body!),
      fault.chunkBytes,
    );
  }
  if (fault.malformed) {
    return jsonBody(
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
    return jsonBody(ex, status, errorEnvelope(code, message), h, fault.chunkBytes);
  }
  return undefined;
}

/** A fault's message, with the request's headers appended when the fault echoes them. */
function withHeaders(ex: Exchange, fault: Fault, message: string): string {
  return fault.echoHeaders
    ? `${message} (request headers: ${JSON.stringify(ex.record.headers)})`
    : message;
}

function errorAnswer(
  ex: Exchange,
  e: ApiError,
  headers: Record<string, string>,
  chunkBytes?: number,
) {
  return jsonBody(ex, e.status, errorEnvelope(e.code, e.message), headers, chunkBytes);
}

/** The model whose license must be agreed to with `{"prompt": "agree"}`. */
const LICENSED_MODEL = "@cf/meta/llama-3.2-11b-vision-instruct";

/** Answers a model request normally (after faults and waits). */
function modelAnswer(
  ex: Exchange,
  op: ModelOp,
  model: string | undefined,
  body: unknown,
  fault: Fault | undefined,
  headers: Record<string, string>,
): Response {
  const envelope = op === "run";
  const ok = (result: unknown) =>
    jsonBody(
      ex,
      200,
      envelope ? successEnvelope(result) : JSON.stringify(result),
      headers,
      fault?.chunkBytes,
    );
  if (model === undefined) throw badInput("required properties at '/' are 'model'");
  if (op === "embeddings") {
    const em = embeddingModel(model);
    if (!em) throw noSuchModel(model);
    return ok(openAIEmbeddings(em, isObject(body) ? body : {}));
  }
  if (op === "run") {
    const em = embeddingModel(model);
    if (em) return ok(embeddingResult(em, body));
    if (model === RERANKER_MODEL) return ok(rerankResult(body));
  }
  if (!knownTextModel(model)) throw noSuchModel(model);
  if (model === LICENSED_MODEL) {
    if (op === "run" && isObject(body) && body.prompt === "agree") {
      ex.state.licenseAgreed = true;
      return ok({ response: "Thank you for agreeing to the terms." });
    }
    if (ex.state.requireLicenseAgreement && !ex.state.licenseAgreed) {
      throw new ApiError(403, 5016, messageForCode(5016));
    }
  }
  const req: TextRequest = parseTextRequest(model, body, op);
  const ids = {
    id: `chatcmpl-${++ex.state.completions}`,
    created: Math.floor(Date.now() / 1000),
  };
  if (req.stream && !fault?.jsonForStream) return sse(ex, textEvents(req, ids), fault, headers);
  return ok(textResult(req, ids));
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** Creates the request handler of an emulator. */
export function createHandler(state: EmulatorState): (request: Request) => Promise<Response> {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = decodePath(url.pathname);
    let text = "";
    try {
      text = request.body ? await request.text() : "";
    } catch {
      text = "";
    }
    let body: unknown = undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    const routed = routeOf(path, body);
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    const record: RecordedRequest = {
      method: request.method,
      path,
      search: url.search,
      route: routed.route,
      headers,
      body,
      aborted: false,
    };
    if (routed.model !== undefined) record.model = routed.model;
    state.requests.push(record);

    const isModel = MODEL_ROUTES.has(routed.route) && routed.op !== undefined;
    const ex = new Exchange(state, record, isModel, state.closing.signal);
    const extra: Record<string, string> = routed.route === "gateway"
      ? { "cf-aig-cache-status": "MISS" }
      : {};

    const reply = (status: number, code: number, message: string): Response =>
      isModel
        ? jsonBody(ex, status, errorEnvelope(code, message), extra)
        : plainJson(record, status, errorEnvelope(code, message));

    if (headers.authorization !== `Bearer ${state.apiToken}`) {
      return reply(401, 10000, "Authentication error");
    }
    if (routed.route === "other") return reply(404, 7000, "No route for that URI");
    if (routed.account !== state.accountId) {
      return reply(
        404,
        7003,
        `Could not route to ${routed.tail}, perhaps your object identifier is invalid?`,
      );
    }
    if (routed.route === "models-search") {
      if (request.method !== "GET") return reply(405, 7001, "Method not allowed");
      const searchFault = takeFault(state, undefined, false, "models-search");
      if (searchFault) {
        const answer = faultAnswer(ex, searchFault, extra);
        if (answer) return answer;
      }
      const { result, result_info } = searchModels(url.searchParams);
      return plainJson(record, 200, successEnvelope(result, { result_info }));
    }
    if (request.method !== "POST") return reply(405, 7001, "Method not allowed");

    const streamAsked = isObject(body) && body.stream === true;
    const fault = takeFault(state, routed.model, streamAsked);
    const service = typeof state.serviceTimeMs === "function"
      ? state.serviceTimeMs(record)
      : state.serviceTimeMs;
    const delay = service + (fault?.delayMs ?? 0);
    if (fault?.hang || delay > 0) {
      // The request's signal is only looked at when waiting: it tells when the
      // client goes away before the answer starts.
      const signal = AbortSignal.any([request.signal, state.closing.signal]);
      if (fault?.hang) await untilAborted(signal);
      if (fault?.hang || !(await wait(delay, signal))) return gone(ex);
    }
    if (fault) {
      const answer = faultAnswer(ex, fault, extra);
      if (answer) return answer;
    }
    if (text !== "" && body === undefined) {
      return errorAnswer(ex, badInput("Unexpected token in JSON body"), extra, fault?.chunkBytes);
    }
    try {
      return modelAnswer(ex, routed.op!, routed.model, body, fault, extra);
    } catch (e) {
      if (e instanceof ApiError) return errorAnswer(ex, e, extra, fault?.chunkBytes);
      throw e;
    }
  };
}
