/**
 * Vectorize names: the grammar of index names and namespaces (an index
 * name becomes part of the request path, so nothing else may pass), the
 * Genkit action names of indexers and retrievers, which say everything the
 * action needs (index, namespace, embedder).
 *
 * @module
 */
import { invalidArgument } from "../errors.ts";

/** The action-name prefix of Vectorize indexers and retrievers, after the plugin's name. */
export const VECTORIZE_PREFIX = "vectorize/";

/**
 * Index names: lower-case letters, digits and dashes, opening with a letter
 * or digit, at most 64 bytes (Vectorize's limit, reference §5.3). Nothing
 * else can reach the request path.
 */
const INDEX_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Namespaces: at most 64 bytes (reference §5.3), printable, no `/`. */
// deno-lint-ignore no-control-regex
const NAMESPACE = /^[^\u0000-\u001f\u007f/]{1,64}$/;

/** Refuses anything but a Vectorize index name; returns it. */
export function checkIndexName(index: unknown): string {
  if (typeof index !== "string" || !INDEX_NAME.test(index)) {
    throw invalidArgument(
      `${JSON.stringify(index)} is not a Vectorize index name: use lower-case letters, digits ` +
        "and dashes, at most 64 characters, as `wrangler vectorize create <name>` accepts.",
    );
  }
  return index;
}

/** Refuses anything but a namespace Vectorize accepts; returns it. */
export function checkNamespace(namespace: unknown, what: string): string | undefined {
  if (namespace === undefined) return undefined;
  if (
    typeof namespace !== "string" || !NAMESPACE.test(namespace) ||
    new TextEncoder().encode(namespace).length > 64
  ) {
    throw invalidArgument(
      `${what}: namespace must be a non-empty string of at most 64 bytes without "/" or ` +
        `control characters, got ${JSON.stringify(namespace)}.`,
    );
  }
  return namespace;
}

/** How an index's vectors are made: the Workers AI embedding model and its options. */
export interface IndexEmbedding {
  /** The Workers AI embedding model id. */
  model: string;
  /** Its options (`pooling`, …), for documents and queries alike. */
  options?: Record<string, unknown>;
}

/** What an indexer or retriever action stands for. */
export interface VectorizeActionSpec {
  /** The index. */
  index: string;
  /** The namespace written to and searched. */
  namespace?: string;
  /** The embedder of the index. */
  embedding: IndexEmbedding;
}

/**
 * The action name (after the plugin prefix) of an index with its embedder
 * and namespace: `vectorize/<index>?embedder=<id>[&embedderOptions=<json>][&namespace=<ns>]`.
 * The name carries everything the action needs, since Genkit hands an
 * indexer or retriever nothing but its name and the call's options.
 */
export function vectorizeActionName(spec: VectorizeActionSpec): string {
  const params = new URLSearchParams({ embedder: spec.embedding.model });
  if (spec.embedding.options && Object.keys(spec.embedding.options).length > 0) {
    params.set("embedderOptions", JSON.stringify(spec.embedding.options));
  }
  if (spec.namespace !== undefined) params.set("namespace", spec.namespace);
  return `${VECTORIZE_PREFIX}${spec.index}?${params}`;
}

/** What an action name stands for; throws for a malformed name or one without an embedder. */
export function parseVectorizeName(name: string): VectorizeActionSpec {
  const rest = name.slice(VECTORIZE_PREFIX.length);
  const q = rest.indexOf("?");
  const index = checkIndexName(q < 0 ? rest : rest.slice(0, q));
  const params = new URLSearchParams(q < 0 ? "" : rest.slice(q + 1));
  const unknown = [...params.keys()].filter((k) =>
    !["embedder", "embedderOptions", "namespace"].includes(k)
  );
  const model = params.get("embedder");
  if (model === null || unknown.length > 0) {
    throw invalidArgument(
      `"cloudflare-ai/${name}" does not name a Vectorize indexer or retriever: make its ` +
        `reference with cloudflareAI.vectorizeRetriever("${index}", { embedder }) (or ` +
        "vectorizeIndexer), which names the index's embedding model.",
    );
  }
  let options: Record<string, unknown> | undefined;
  const raw = params.get("embedderOptions");
  if (raw !== null) {
    try {
      options = JSON.parse(raw);
    } catch {
      options = undefined;
    }
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw invalidArgument(
        `Vectorize index ${index}: embedderOptions in the name is not a JSON object.`,
      );
    }
  }
  const namespace = checkNamespace(
    params.get("namespace") ?? undefined,
    `Vectorize index ${index}`,
  );
  return {
    index,
    ...(namespace !== undefined ? { namespace } : {}),
    embedding: options ? { model, options } : { model },
  };
}
