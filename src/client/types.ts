/**
 * The shapes a call to Workers AI is made of: options of the plugin's
 * client, the request (JSON, raw bytes or a multipart form, with query
 * options) and the outcome (a JSON result, raw bytes, or stream events).
 *
 * @module
 */

import type { GatewayControls, RequestExtras, RequestMeta } from "./extras.ts";
import type { Pace } from "./pacer.ts";

/**
 * Routes requests through Cloudflare AI Gateway.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type GatewayOptions } from "@x/cloudflare-ai";
 *
 * const gateway: GatewayOptions = {
 *   id: "my-gateway",
 *   cacheTtl: 3600, // answer repeated requests from the gateway cache for an hour
 *   metadata: { team: "search", user: 42 }, // shown in the gateway's logs
 * };
 * const ai = genkit({ plugins: [cloudflareAI({ gateway })] });
 * ```
 */
export interface GatewayOptions extends GatewayControls {
  /** The gateway's id (its name in the dashboard). */
  id: string;
  /**
   * The gateway's base URL.
   * @default {"https://gateway.ai.cloudflare.com/v1"}
   */
  baseUrl?: string;
  /** The token of an authenticated gateway (`cf-aig-authorization: Bearer <token>`). */
  authToken?: string;
}

/**
 * The part of a Workers AI binding (`env.AI` inside a Cloudflare Worker) that
 * this plugin uses.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type AiBinding, cloudflareAI } from "@x/cloudflare-ai";
 *
 * export default {
 *   async fetch(request: Request, env: { AI: AiBinding }): Promise<Response> {
 *     const ai = genkit({ plugins: [cloudflareAI({ binding: env.AI })] }); // no account or token
 *     const model = cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast");
 *     return new Response((await ai.generate({ model, prompt: await request.text() })).text);
 *   },
 * };
 * ```
 */
export interface AiBinding {
  /** Runs a model; resolves to the result object, or a byte stream for streams and binary outputs. */
  run(model: string, inputs: unknown, options?: Record<string, unknown>): Promise<unknown>;
}

/** Settings of a {@link WorkersAIClient}. */
export interface ClientConfig {
  /** Cloudflare account id (not needed with a binding). */
  accountId?: string;
  /** API token (not needed with a binding). */
  apiToken?: string;
  /** REST API base URL. */
  baseUrl: string;
  /** AI Gateway routing, when set. */
  gateway?: GatewayOptions;
  /** The `fetch` to use. */
  fetch: typeof fetch;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Bound on the wait for headers and on each gap between stream events, in ms; 0 = none. */
  timeoutMs: number;
  /** Base of the exponential backoff, in ms. */
  retryDelayMs: number;
  /** A Workers AI binding; when set, requests go through it instead of `fetch`. */
  binding?: AiBinding;
}

/** Per-call options. */
export interface CallOptions {
  /** The caller's abort signal. */
  signal?: AbortSignal;
  /**
   * Streams: whether an event carries something the caller will see. Events
   * before the first one that does are held back, so that a stream cut after
   * only empty events (padding, empty deltas) is retried like a stream cut
   * before its first event. Default: every event does.
   */
  delivers?: (event: Record<string, unknown>) => boolean;
  /**
   * The back-pressure of a batched call this request belongs to: each
   * attempt waits while the call is paused, and a rate-limited attempt
   * pauses the whole call for as long as it waits itself.
   */
  pace?: Pace;
  /** Per-request transport settings (affinity, busy rejection, tags, gateway controls). */
  extras?: RequestExtras;
  /** Filled with what identifies the request afterwards (Ray ID, gateway log id and cache status). */
  meta?: RequestMeta;
}

/** One item of a streamed answer. */
export type StreamItem =
  /** The parsed server-sent events that arrived in one network read. */
  | { type: "events"; data: Record<string, unknown>[] }
  /** The whole answer, when the server replied with JSON to a streaming request. */
  | { type: "result"; data: unknown };

/**
 * A request body: JSON, raw bytes with their content type (audio, images),
 * or a multipart form (FLUX.2 takes nothing else).
 */
export type WireBody =
  | { json: unknown }
  | { bytes: Uint8Array<ArrayBuffer>; contentType: string }
  | { form: FormData };

/** One request to a model. */
export interface WireRequest {
  /** The body. */
  body: WireBody;
  /** Options sent in the query string over REST (repeated keys for arrays). */
  query?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /**
   * The inputs `env.AI.run` takes for this request, when they are not the
   * REST body itself (a JSON body is passed as it is; a form as
   * `{ multipart: { body, contentType } }`). Required for raw-bytes bodies.
   * A function is called once per attempt, for inputs that can be read only
   * once (a `ReadableStream` body).
   */
  bindingInputs?: unknown;
  /**
   * What a successful answer is declared to be: a JSON result, a JSON result
   * that is an array (classification and detection answer bare arrays, which
   * a binding resolves to as they are), or raw bytes (images, audio). Over
   * REST the answer's content type decides; through a binding this decides
   * how a byte stream it returns is read. Default `"json"`.
   */
  answer?: "json" | "list" | "bytes";
}

/** What a successful call answered. */
export type Outcome =
  /** The `result` of a JSON envelope (or the whole body of an OpenAI-style answer). */
  | { kind: "json"; result: unknown }
  /** Raw bytes, with the content type the answer declared (none from a binding stream). */
  | { kind: "bytes"; bytes: Uint8Array<ArrayBuffer>; contentType?: string };
