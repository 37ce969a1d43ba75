/**
 * The emulator's retrieval services beyond `/ai/run`, by path under the
 * account: Vectorize v2 (`/vectorize/v2/indexes…`), AI Search
 * (`/ai-search/…`, `/autorag/…`) and Markdown conversion (`/ai/tomarkdown`).
 * Each emulator keeps its own services, made from its options.
 *
 * @module
 */

import { AiSearchService } from "./aisearch.ts";
import { ApiError, errorEnvelope, successEnvelope } from "./errors.ts";
import { markdownAnswer } from "./markdown.ts";
import type { EmulatorState } from "./state.ts";
import type { TaskBody } from "./task_contract.ts";
import type { EmulatorOptions } from "./types.ts";
import { VectorizeService } from "./vectorize.ts";

interface Services {
  vectorize: VectorizeService;
  aiSearch: AiSearchService;
}

const services = new WeakMap<EmulatorState, Services>();

/** Makes an emulator's services from its options. */
export function initServices(state: EmulatorState, options: EmulatorOptions): void {
  services.set(state, {
    vectorize: new VectorizeService(options.vectorize),
    aiSearch: new AiSearchService(options.aiSearch),
  });
}

function servicesOf(state: EmulatorState): Services {
  let s = services.get(state);
  if (!s) {
    s = { vectorize: new VectorizeService(), aiSearch: new AiSearchService() };
    services.set(state, s);
  }
  return s;
}

/** Whether a path under the account (after `/accounts/{id}/`) is one of these services. */
export function isServicePath(sub: string): "vectorize" | "ai-search" | "tomarkdown" | undefined {
  if (sub.startsWith("vectorize/")) return "vectorize";
  if (sub.startsWith("ai-search/") || sub.startsWith("autorag/")) return "ai-search";
  if (sub === "ai/tomarkdown" || sub === "ai/tomarkdown/supported") return "tomarkdown";
  return undefined;
}

const json = (status: number, text: string) =>
  new Response(text, { status, headers: { "content-type": "application/json" } });

const jsonOf = (body: TaskBody) => body.kind === "json" ? body.value : undefined;

/** Answers a request to one of the services; `sub` is the path after `/accounts/{id}/`. */
export async function serviceAnswer(
  state: EmulatorState,
  method: string,
  sub: string,
  body: TaskBody,
  params: URLSearchParams,
): Promise<Response> {
  const s = servicesOf(state);
  try {
    let result: unknown;
    if (sub.startsWith("vectorize/")) {
      // wrangler uploads the NDJSON as a multipart file part named `vectors`.
      const file = body.kind === "form" ? body.form.get("vectors") : null;
      if (file !== null && typeof file !== "string") {
        body = {
          kind: "bytes",
          bytes: new Uint8Array(await file.arrayBuffer()),
          contentType: "application/x-ndjson",
        };
      }
      result = vectorize(s.vectorize, method, sub, body, params);
    } else if (sub.startsWith("ai/tomarkdown")) result = await markdownAnswer(method, sub, body);
    else result = s.aiSearch.answer(method, sub, jsonOf(body));
    if (result instanceof Response) return result;
    return json(200, successEnvelope(result));
  } catch (e) {
    if (e instanceof ApiError) return json(e.status, errorEnvelope(e.code, e.message));
    throw e;
  }
}

function allow(method: string, ...allowed: string[]) {
  if (!allowed.includes(method)) throw new ApiError(405, 10405, "Method not allowed");
}

function vectorize(
  v: VectorizeService,
  method: string,
  sub: string,
  body: TaskBody,
  params: URLSearchParams,
): unknown {
  const m = /^vectorize\/v2\/indexes(?:\/([^/]+)(?:\/(.+))?)?$/.exec(sub);
  if (!m) throw new ApiError(404, 7000, "No route for that URI");
  const [, name, op] = m;
  if (name === undefined) {
    allow(method, "GET", "POST");
    return method === "GET"
      ? [...v.indexes.keys()].map((n) => v.describe(n))
      : v.createFromBody(jsonOf(body));
  }
  const data = jsonOf(body);
  switch (op) {
    case undefined:
      allow(method, "GET", "DELETE");
      if (method === "GET") return v.describe(name);
      v.get(name);
      v.indexes.delete(name);
      return json(200, successEnvelope(null));
    case "info":
      allow(method, "GET");
      return v.info(name);
    case "insert":
    case "upsert": {
      allow(method, "POST");
      const discard = params.get("unparsable-behavior") === "discard";
      return v.write(name, ndjsonOf(body), op, discard);
    }
    case "query":
      allow(method, "POST");
      return v.query(name, data);
    case "get_by_ids":
      allow(method, "POST");
      return v.getByIds(name, (data as { ids?: unknown } | undefined)?.ids);
    case "delete_by_ids":
      allow(method, "POST");
      return v.deleteByIds(name, (data as { ids?: unknown } | undefined)?.ids);
    case "list":
      allow(method, "GET");
      return v.list(name, params);
    case "metadata_index/create":
    case "metadata_index/delete":
      allow(method, "POST");
      return v.metadataIndex(name, op.slice(15), data);
    case "metadata_index/list":
      allow(method, "GET");
      return v.metadataIndex(name, "list", undefined);
  }
  throw new ApiError(404, 7000, "No route for that URI");
}

/** The NDJSON of an insert or upsert: the raw body, or the form's `vectors` file. */
function ndjsonOf(body: TaskBody): string {
  if (body.kind === "bytes") return new TextDecoder().decode(body.bytes);
  if (body.kind === "form") {
    throw new ApiError(400, 40021, "multipart uploads: send the vectors file as the raw body");
  }
  throw new ApiError(
    400,
    40022,
    "Vectors must be sent as NDJSON (content-type application/x-ndjson), one vector per line",
  );
}
