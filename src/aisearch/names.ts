/**
 * AI Search names: the grammar of instance and namespace names (both become
 * part of the request path), the retriever action names
 * (`cloudflare-ai/aisearch/<namespace>/<instance>`), and the namespace
 * bindings the plugin is given.
 *
 * @module
 */
import { invalidArgument } from "../errors.ts";

/** The action-name prefix of AI Search retrievers, after the plugin's name. */
export const AISEARCH_PREFIX = "aisearch/";

/** Instance and namespace names: letters, digits, `-` and `_`, at most 64, one path segment. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Refuses anything but an AI Search instance or namespace name; returns it. */
export function checkAiSearchName(value: unknown, what: "instance" | "namespace"): string {
  if (typeof value !== "string" || !NAME.test(value)) {
    throw invalidArgument(
      `${JSON.stringify(value)} is not an AI Search ${what} name: use letters, digits, "-" ` +
        'and "_" only, at most 64 characters (it becomes part of the request path).',
    );
  }
  return value;
}

/** The action name (after the plugin prefix) of an instance in a namespace. */
export function aiSearchActionName(namespace: string, instance: string): string {
  return `${AISEARCH_PREFIX}${namespace}/${instance}`;
}

/** The namespace and instance an action name stands for; throws for a malformed name. */
export function parseAiSearchName(name: string): { namespace: string; instance: string } {
  const [namespace, instance, ...rest] = name.slice(AISEARCH_PREFIX.length).split("/");
  if (rest.length > 0 || instance === undefined) {
    throw invalidArgument(
      `${
        JSON.stringify(name)
      } is not an AI Search retriever name (aisearch/<namespace>/<instance>).`,
    );
  }
  return {
    namespace: checkAiSearchName(namespace, "namespace"),
    instance: checkAiSearchName(instance, "instance"),
  };
}

/**
 * The part of an AI Search namespace binding (`env.AI_SEARCH`, wrangler
 * `[[ai_search_namespaces]]`) that this plugin uses.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type AiSearchBinding, cloudflareAI } from "@x/cloudflare-ai";
 *
 * export default {
 *   async fetch(req: Request, env: { AI_SEARCH: AiSearchBinding }) {
 *     const ai = genkit({
 *       plugins: [cloudflareAI({ aiSearchBindings: { default: env.AI_SEARCH } })],
 *     });
 *     const retriever = cloudflareAI.aiSearchRetriever("docs");
 *     return Response.json(await ai.retrieve({ retriever, query: await req.text() }));
 *   },
 * };
 * ```
 */
export interface AiSearchBinding {
  /** The instance `name` of the namespace. */
  get(name: string): { search(request: Record<string, unknown>): Promise<unknown> };
}

/** Checks the plugin's `aiSearchBindings` option: namespace names to namespace bindings. */
export function aiSearchBindingsOption(value: unknown): ReadonlyMap<string, AiSearchBinding> {
  const out = new Map<string, AiSearchBinding>();
  if (value === undefined) return out;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument(
      'cloudflareAI(): aiSearchBindings must be an object such as { "default": env.AI_SEARCH }.',
    );
  }
  for (const [namespace, binding] of Object.entries(value)) {
    checkAiSearchName(namespace, "namespace");
    if (typeof (binding as { get?: unknown } | null)?.get !== "function") {
      throw invalidArgument(
        `cloudflareAI(): aiSearchBindings["${namespace}"] must be an AI Search namespace binding ` +
          "(env.AI_SEARCH), an object with get(instance).",
      );
    }
    out.set(namespace, binding as AiSearchBinding);
  }
  return out;
}
