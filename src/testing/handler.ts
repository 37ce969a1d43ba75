/**
 * The emulator's core: a web-standard `(request) => Promise<Response>` handler
 * doing routing, request recording, auth and scripted faults, and handing
 * model requests to the task that serves the model.
 *
 * @module
 */

import { readBody } from "./body.ts";
import {
  ApiError,
  badInput,
  errorEnvelope,
  messageForCode,
  noSuchModel,
  successEnvelope,
} from "./errors.ts";
import { faultResponse, streamPlan, takeFault } from "./faults.ts";
import { isKnownModel, judgeRequest } from "./judge.ts";
import { errorResponse, Exchange, gone, jsonResponse, plainJson, taskResponse } from "./respond.ts";
import { isQueueRequest, queueAnswer } from "./queue.ts";
import { searchModels } from "./search.ts";
import type { EmulatorState } from "./state.ts";
import type { ModelOp, TaskBody } from "./task_contract.ts";
import { taskFor } from "./tasks.ts";
import type { EmulatorRoute, Fault, RecordedRequest } from "./types.ts";
import { isObject, untilAborted, wait } from "./util.ts";
import { isServicePath, serviceAnswer } from "./vectorize_services.ts";

interface Routed {
  route: EmulatorRoute;
  /** The endpoint of a model request; absent for any other route. */
  op?: ModelOp;
  account?: string;
  model?: string;
  /** The path after `/client/v4` (or the gateway base), for routing errors. */
  tail: string;
  /** For Vectorize, AI Search and Markdown conversion: the path after `/accounts/{id}/`. */
  service?: string;
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
    if (sub === "finetunes") return { route: "finetunes", account, tail };
    if (sub === "tomarkdown" || sub === "tomarkdown/supported") {
      return { route: "tomarkdown", account, tail, service: `ai/${sub}` };
    }
    return { route: "other", account, tail };
  }
  // Vectorize and AI Search live beside /ai under the account.
  const service = /^\/client\/v4(\/accounts\/([^/]+)\/(.*))$/.exec(path);
  const kind = service ? isServicePath(service[3]) : undefined;
  if (service && kind) {
    return { route: kind, account: service[2], tail: service[1], service: service[3] };
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

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** What answering a model request needs, past routing, auth and faults. */
interface ModelRequest {
  op: ModelOp;
  model: string | undefined;
  body: TaskBody;
  query: URLSearchParams;
  fault: Fault | undefined;
  headers: Record<string, string>;
}

/** Answers a model request with the task serving its model. */
function modelAnswer(ex: Exchange, req: ModelRequest): Response {
  const { op, model, fault } = req;
  if (model === undefined) throw badInput("required properties at '/' are 'model'");
  const task = taskFor(model, op);
  if (!task) throw noSuchModel(model);
  if (op === "run" && ex.state.judge === "published") {
    // Judged by the published definition, as the service does, before the task answers.
    if (!isKnownModel(model)) throw noSuchModel(model);
    judgeRequest(model, req.body, req.query);
  }
  const answer = task.answer({
    model,
    op,
    body: req.body,
    query: req.query,
    state: ex.state,
    jsonForStream: fault?.jsonForStream === true,
    affinity: ex.record.headers["x-session-affinity"],
  });
  return taskResponse(ex, answer, {
    envelope: op === "run",
    stream: streamPlan(ex, fault),
    headers: req.headers,
    chunkBytes: fault?.chunkBytes,
  });
}

/** The Workers AI task name of a model (rate limits are kept by it), from the task serving it. */
function taskNameOf(model: string | undefined, op: ModelOp): string | undefined {
  if (model === undefined) return undefined;
  return taskFor(model, op)?.models().find((m) => m.name === model)?.task.name;
}

/** Creates the request handler of an emulator. */
export function createHandler(state: EmulatorState): (request: Request) => Promise<Response> {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = decodePath(url.pathname);
    const read = await readBody(request);
    const json = read.body.kind === "json" ? read.body.value : undefined;
    const routed = routeOf(path, json);
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    const record: RecordedRequest = {
      method: request.method,
      path,
      search: url.search,
      route: routed.route,
      headers,
      ...read.record,
      aborted: false,
    };
    if (routed.model !== undefined) record.model = routed.model;
    state.requests.push(record);

    const op = routed.op;
    const ex = new Exchange(state, record, op !== undefined, state.closing.signal);
    const extra: Record<string, string> = routed.route === "gateway"
      ? { "cf-aig-cache-status": "MISS" }
      : {};

    const reply = (status: number, code: number, message: string): Response =>
      op !== undefined
        ? jsonResponse(ex, status, errorEnvelope(code, message), extra)
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
    if (routed.service !== undefined) {
      if (read.malformed) return reply(400, 40000, "Unexpected token in JSON body");
      const answer = await serviceAnswer(
        state,
        request.method,
        routed.service,
        read.body,
        url.searchParams,
      );
      record.status = answer.status;
      return answer;
    }
    if (routed.route === "finetunes") {
      if (request.method !== "GET") return reply(405, 7001, "Method not allowed");
      // Cloudflare's docs show the list nested in one more array; so does the emulator.
      const body = { success: true, result: [state.finetunes], errors: [], messages: [] };
      return plainJson(record, 200, JSON.stringify(body));
    }
    if (op === undefined) {
      // The model search, the only route left that is not a model request.
      if (request.method !== "GET") return reply(405, 7001, "Method not allowed");
      const searchFault = takeFault(state, undefined, false, "models-search");
      if (searchFault) {
        const answer = faultResponse(ex, searchFault, extra);
        if (answer) return answer;
      }
      const { result, result_info } = searchModels(url.searchParams);
      return plainJson(record, 200, successEnvelope(result, { result_info }));
    }
    if (request.method !== "POST") return reply(405, 7001, "Method not allowed");

    // Over its task's budget, a request is refused before it is served (reference §2.4).
    const retryAfter = state.limiter.active
      ? state.limiter.take(taskNameOf(routed.model, op))
      : undefined;
    if (retryAfter !== undefined) {
      return jsonResponse(
        ex,
        429,
        errorEnvelope(3040, messageForCode(3040, routed.model)),
        { ...extra, "retry-after": String(retryAfter) },
      );
    }
    const streamAsked = isObject(json) && json.stream === true;
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
      const answer = faultResponse(ex, fault, extra);
      if (answer) return answer;
    }
    try {
      if (read.malformed) throw badInput("Unexpected token in JSON body");
      if (op === "run" && routed.model !== undefined && isQueueRequest(url.searchParams, json)) {
        // The async batch queue: a submission (judged like any input) or a poll.
        const poll = isObject(json) && "request_id" in json;
        if (!poll && state.judge === "published" && isKnownModel(routed.model)) {
          judgeRequest(routed.model, read.body, new URLSearchParams());
        }
        const result = queueAnswer(state, routed.model, json);
        return jsonResponse(ex, 200, successEnvelope(result), extra);
      }
      return modelAnswer(ex, {
        op,
        model: routed.model,
        body: read.body,
        query: url.searchParams,
        fault,
        headers: extra,
      });
    } catch (e) {
      if (e instanceof ApiError) return errorResponse(ex, e, extra, fault?.chunkBytes);
      throw e;
    }
  };
}
