/**
 * The config every model takes beside its own parameters: how its request
 * travels rather than what it asks. `sessionAffinity` (prompt caching),
 * `rejectIfBusy`, `tags` (binding only) and per-request AI Gateway controls
 * are taken out of the config before the model's own check, checked here,
 * and handed to the client; none of them ever goes into a model's inputs.
 *
 * @module
 */
import { z } from "genkit";
import {
  affinityHeader,
  type GatewayControls,
  gatewayHeaders,
  type RequestExtras,
} from "./client/extras.ts";
import { invalidArgument as invalid } from "./errors.ts";

/**
 * The config every model takes beside its own: how its request travels.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type RequestConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI({ gateway: { id: "my-gateway" } })] });
 * const request: RequestConfig = {
 *   sessionAffinity: "conversation-42", // the same instance for the whole chat: cached prefix
 *   rejectIfBusy: true, // 429 at once rather than a wait in the capacity queue
 *   gateway: { eventId: "order-1234", collectLog: true },
 * };
 * const model = cloudflareAI.model("@cf/moonshotai/kimi-k2.6", { ...request, temperature: 0.2 });
 * const { custom } = await ai.generate({ model, prompt: "Hello" });
 * console.log(custom); // { cfRay, gatewayLogId, gatewayCacheStatus } as Cloudflare sent them
 * ```
 */
export interface RequestConfig {
  /**
   * Prompt caching: requests with the same key are routed to the same model
   * instance, so a conversation's prefix stays cached (`x-session-affinity`).
   * Default: the id of the Genkit session or agent the call runs in.
   */
  sessionAffinity?: string;
  /** Fail at once with 429 (code 3040) rather than wait in the capacity queue. */
  rejectIfBusy?: boolean;
  /** Up to 5 tags grouping the request in the dashboard (Workers binding only). */
  tags?: string[];
  /** AI Gateway controls of this request, over the plugin's `gateway` option. */
  gateway?: GatewayControls;
}

/** The request config keys, with what each does (shown in the Developer UI). */
export const REQUEST_CONFIG_SHAPE = {
  sessionAffinity: z.string().max(256).optional().describe(
    "Prompt caching: requests with the same key go to the same model instance, so a " +
      "conversation's prefix is cached (x-session-affinity). Default: the Genkit session id.",
  ),
  rejectIfBusy: z.boolean().optional().describe(
    "Fail at once with 429 (code 3040) instead of waiting when the model is busy.",
  ),
  tags: z.array(z.string().max(50)).max(5).optional().describe(
    "Up to 5 tags grouping the request in the dashboard (Workers binding only).",
  ),
  gateway: z.record(z.unknown()).optional().describe(
    "AI Gateway controls of this request, over the plugin's gateway option: cacheTtl, " +
      "skipCache, cacheKey, metadata, collectLog, collectLogPayload, eventId, " +
      "requestTimeoutMs, retries, customCost.",
  ),
};

/** How the plugin reaches Workers AI, for the checks that depend on it. */
export interface Transport {
  /** Whether calls go through a Workers binding. */
  binding: boolean;
  /** Whether the plugin routes through AI Gateway. */
  gateway: boolean;
}

const TAG = /^[A-Za-z0-9:\-./@]{1,50}$/;

/**
 * The Genkit session the call runs in, if any. Genkit keeps it in its async
 * context under `ai.session` (genkit 1.42 `@genkit-ai/ai/session`
 * `getCurrentSession`), which it does not export from `genkit`; chats and
 * agents run their generates inside it.
 */
function genkitSessionId(): string | undefined {
  const context = (globalThis as {
    __genkit_AsyncContext?: { getStore?: (key: string) => unknown };
  }).__genkit_AsyncContext;
  try {
    const session = context?.getStore?.("ai.session") as { sessionId?: unknown } | undefined;
    return typeof session?.sessionId === "string" ? session.sessionId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a request's config into the model's own config and the request's
 * transport settings, checking the latter before any request.
 */
export function splitRequestConfig(
  model: string,
  config: unknown,
  transport: Transport,
): { config: unknown; extras: RequestExtras | undefined } {
  const c = config as Record<string, unknown> | undefined;
  const session = genkitSessionId();
  if (
    typeof c !== "object" || c === null ||
    !("sessionAffinity" in c || "rejectIfBusy" in c || "tags" in c || "gateway" in c)
  ) {
    return session === undefined
      ? { config, extras: undefined }
      : { config, extras: { headers: { "x-session-affinity": affinityHeader(model, session) } } };
  }
  const { sessionAffinity, rejectIfBusy, tags, gateway, ...own } = c;
  const extras: RequestExtras = {};
  const affinity = sessionAffinity ?? session;
  if (affinity !== undefined) {
    extras.headers = { "x-session-affinity": affinityHeader(model, affinity) };
  }
  if (rejectIfBusy !== undefined) {
    if (typeof rejectIfBusy !== "boolean") {
      throw invalid(`config.rejectIfBusy for ${model} must be true or false.`);
    }
    if (rejectIfBusy) extras.runOptions = { rejectIfBusy: true };
  }
  if (tags !== undefined) {
    if (!transport.binding) {
      throw invalid(
        `config.tags for ${model} are taken by the Workers binding only (Cloudflare documents ` +
          "no REST form of them): remove them, or call the model through env.AI.",
      );
    }
    if (!Array.isArray(tags) || tags.length > 5 || !tags.every((t) => TAG.test(String(t)))) {
      throw invalid(
        `config.tags for ${model} must be at most 5 tags of 1 to 50 letters, digits and : - . / @.`,
      );
    }
    extras.bindingOptions = { tags: [...new Set(tags)] };
  }
  if (gateway !== undefined) {
    if (!transport.gateway) {
      throw invalid(
        `config.gateway for ${model} controls AI Gateway, but the plugin does not route ` +
          "through one: set cloudflareAI({ gateway: { id } }), or remove config.gateway.",
      );
    }
    gatewayHeaders("config.gateway", gateway); // checked now, before any request
    extras.gateway = gateway as RequestExtras["gateway"];
  }
  return { config: own, extras };
}
