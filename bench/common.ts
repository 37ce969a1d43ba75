/**
 * What every implementation under test provides, and the fixed inputs of the
 * scenarios.
 *
 * @module
 */

/** The implementations, in table order. */
export const IMPLEMENTATIONS = [
  "raw-fetch",
  "genkit-raw",
  "ai-sdk-raw",
  "langchain-raw",
  "genkit-floor",
  "ai-sdk-floor",
  "langchain-floor",
  "cloudflare-ai",
  "compat-oai",
  "workers-ai-provider",
  "langchain",
] as const;

/** An implementation's name. */
export type ImplName = (typeof IMPLEMENTATIONS)[number];

/** The in-process floors: a framework with a model that answers in process, no network. */
export const FLOORS = ["genkit-floor", "ai-sdk-floor", "langchain-floor"] as const;

/**
 * The raw floors: each framework's smallest model whose body is raw-fetch's
 * code (the same request, the same parsing, streaming included).
 */
export const RAW_FLOORS = ["genkit-raw", "ai-sdk-raw", "langchain-raw"] as const;

/** Every floor (raw and in-process): none has an embedder but `genkit-floor`. */
export const ALL_FLOORS = [...RAW_FLOORS, ...FLOORS] as const;

/**
 * The framework floor of each client: its framework's raw floor, what the
 * framework costs around the same network call with no client code in it.
 * A client's own cost is its figure minus this floor's.
 */
export const FRAMEWORK_FLOOR = {
  "cloudflare-ai": "genkit-raw",
  "compat-oai": "genkit-raw",
  "workers-ai-provider": "ai-sdk-raw",
  "langchain": "langchain-raw",
} as const;

/**
 * The in-process floor of each client (the second line of the own-cost
 * table: its figure minus raw-fetch's minus this floor's).
 */
export const IN_PROCESS_FLOOR = {
  "cloudflare-ai": "genkit-floor",
  "compat-oai": "genkit-floor",
  "workers-ai-provider": "ai-sdk-floor",
  "langchain": "langchain-floor",
} as const;

/** The chat model of the text scenarios. */
export const TEXT_MODEL = "@cf/meta/llama-3.1-8b-instruct-fast";
/** The embedding model of `embed-10k`. */
export const EMBED_MODEL = "@cf/baai/bge-base-en-v1.5";
/** Dimensions of {@link EMBED_MODEL}. */
export const EMBED_DIMS = 768;
/** Texts of `embed-10k`. */
export const EMBED_TEXTS = 10_000;
/** Texts per request the Workers AI embedding API takes. */
export const EMBED_BATCH = 100;
/**
 * Requests in flight of the plugin's embedder by default (`embedConcurrency`):
 * also the concurrency of every implementation that can set one, in the
 * embedding scenarios.
 */
export const EMBED_CONCURRENCY = 4;

/** The prompt of `generate` and `generate-c64`. */
export const SHORT_PROMPT = "Say hi to Ada in a friendly way!";

/** The emulator's deterministic reply to a prompt. */
export function expectedReply(prompt: string): string {
  return `Hello from ${TEXT_MODEL}! You said: ${prompt}`;
}

/**
 * The emulator's reply as it streams it: one token per word (keeping its
 * trailing space), cut at `limit` (the API's default `max_tokens` is 256).
 * The floors answer with exactly these tokens.
 */
export function replyTokens(prompt: string, limit = 256): string[] {
  return expectedReply(prompt).split(/(?<=\s)/).slice(0, limit);
}

const VOCABULARY = [
  "alpha",
  "bravo",
  "charlie",
  "delta",
  "echo",
  "foxtrot",
  "golf",
  "hotel",
  "india",
  "juliett",
  "kilo",
  "lima",
  "mike",
];

/** A prompt of `words` words: the emulator streams one event per word of the reply. */
export function longPrompt(words: number): string {
  return Array.from(
    { length: words },
    (_, i) => `${VOCABULARY[i % VOCABULARY.length]}${i}`,
  )
    .join(" ");
}

/** `n` short, distinct texts to embed. */
export function shortTexts(n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) => `Note ${i}: the ${VOCABULARY[i % VOCABULARY.length]} team met on day ${i % 365}.`,
  );
}

/** Where the implementations send their requests. */
export interface Endpoint {
  /** REST base URL (`.../client/v4`). */
  url: string;
  /** Account id. */
  accountId: string;
  /** API token. */
  apiToken: string;
  /** `${url}/accounts/${accountId}/ai`. */
  aiBase: string;
  /**
   * The `fetch` an implementation's embedding requests go through, when not
   * the global one (`embed-ratelimited` passes one that counts them).
   */
  fetch?: typeof fetch;
}

/** One implementation under test. */
export interface Impl {
  /** Its name in the results. */
  readonly name: ImplName;
  /** One non-streaming chat request; resolves to the reply text. */
  generate(prompt: string): Promise<string>;
  /**
   * One streamed chat request of at most `maxTokens` tokens. `onText` is
   * called with each non-empty text delta as it reaches the caller; resolves
   * to the whole reply text.
   */
  stream(
    prompt: string,
    maxTokens: number,
    onText: (delta: string) => void,
  ): Promise<string>;
  /** Embeds every text, in order; absent when it cannot be measured ({@link embedSkip} says why). */
  embed?(texts: string[]): Promise<number[][]>;
  /** Why {@link embed} is absent. */
  embedSkip?: string;
}

/** Builds an implementation for the text endpoint and the (slower) embedding endpoint. */
export type ImplFactory = (text: Endpoint, embed: Endpoint) => Promise<Impl>;

/** Runs `worker` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await worker(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, lane),
  );
  return out;
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
