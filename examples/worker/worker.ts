/**
 * A Cloudflare Worker that answers with Genkit and Workers AI through the
 * `env.AI` binding: no account id or API token is needed. Deploy it with
 * `npx wrangler@4.86.0 deploy`, or try it with `npx wrangler@4.86.0 dev` after
 * `npx wrangler@4.86.0 login` (the AI binding always runs on your account, even
 * in local dev). wrangler.toml beside it holds the settings Genkit needs in Workers.
 *
 * - `POST /generate` `{"prompt": "..."}` answers `{"text": "..."}`.
 * - `POST /stream` `{"prompt": "..."}` streams the answer as plain text.
 * - `POST /embed` `{"text": "..."}` answers `{"dimensions": 768, "embedding": [...]}`.
 * - `POST /ask` `{"question": "..."}` answers `{"answer", "sources"}` from the Vectorize
 *   index bound as `DOCS` (indexed with bge-base, e.g. by examples/rag.ts): retrieval,
 *   reranking and an answer citing its sources, all through bindings. Bind the index with
 *   `[[vectorize]]` `binding = "DOCS"`, `index_name = "genkit-rag"` in wrangler.toml.
 *
 * Failures answer `{"error": {"status", "message"}}` with the matching HTTP status.
 *
 * @module
 */
import { genkit, GenkitError, setGenkitRuntimeConfig } from "genkit";
import { type AiBinding, cloudflareAI, type VectorizeBinding } from "../../mod.ts";

// Workers forbid code generation (Genkit's default JSON schema validator
// compiles schemas to functions) and have no place for the Developer UI's
// reflection server: both are switched off before Genkit starts.
setGenkitRuntimeConfig({ jsonSchemaMode: "interpret", sandboxedRuntime: true });

/** The worker's bindings (wrangler.toml: `[ai] binding = "AI"`). */
export interface Env {
  AI: AiBinding;
  /** Optional: the Vectorize index `/ask` answers from (`[[vectorize]] binding = "DOCS"`). */
  DOCS?: VectorizeBinding;
  /** Optional: the plugin's `timeoutMs`, as a string var. */
  AI_TIMEOUT_MS?: string;
}

const MODEL = cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast");
const EMBEDDER = cloudflareAI.embedder("@cf/baai/bge-base-en-v1.5");

/** The Genkit app, made once per isolate on the first request and shared by all requests. */
function createAI(env: Env) {
  const timeoutMs = env.AI_TIMEOUT_MS ? Number(env.AI_TIMEOUT_MS) : undefined;
  // The Vectorize binding is given by index name; the retriever below names the same index.
  const vectorizeBindings = env.DOCS ? { [INDEX]: env.DOCS } : undefined;
  return genkit({ plugins: [cloudflareAI({ binding: env.AI, timeoutMs, vectorizeBindings })] });
}

type AI = ReturnType<typeof createAI>;
let app: AI | undefined;

async function generate(ai: AI, prompt: string): Promise<Response> {
  const { text } = await ai.generate({ model: MODEL, prompt });
  return Response.json({ text });
}

async function stream(ai: AI, prompt: string): Promise<Response> {
  const { stream, response } = ai.generateStream({ model: MODEL, prompt });
  response.catch(() => {}); // a failure surfaces through the stream
  const chunks = stream[Symbol.asyncIterator]();
  // Waiting for the first chunk lets a failure before any text (bad request,
  // capacity errors once retries are spent) answer with an HTTP error status.
  const first = await chunks.next();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close();
      else if (first.value.text) controller.enqueue(encoder.encode(first.value.text));
    },
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else if (value.text) controller.enqueue(encoder.encode(value.text));
    },
    async cancel() {
      await chunks.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      // Workers gzip text/plain for clients that accept it, and gzip holds the
      // text back until the answer ends; "identity" keeps it streaming.
      "content-encoding": "identity",
    },
  });
}

async function embed(ai: AI, text: string): Promise<Response> {
  const [{ embedding }] = await ai.embed({ embedder: EMBEDDER, content: text });
  return Response.json({ dimensions: embedding.length, embedding });
}

const INDEX = "genkit-rag";
const RETRIEVER = cloudflareAI.vectorizeRetriever(INDEX, { embedder: "@cf/baai/bge-base-en-v1.5" });
const RERANKER = cloudflareAI.reranker("@cf/baai/bge-reranker-base");

async function ask(ai: AI, question: string): Promise<Response> {
  const found = await ai.retrieve({ retriever: RETRIEVER, query: question, options: { k: 5 } });
  const ranked = found.length === 0 ? [] : await ai.rerank({
    reranker: RERANKER,
    query: question,
    documents: found,
    options: { topK: 3 },
  });
  const sources = ranked.map((d) => ({
    id: d.metadata.id,
    name: d.metadata.name ?? d.metadata.id,
    score: d.score(),
  }));
  const { text } = await ai.generate({
    model: MODEL,
    prompt: `Answer using only these sources and cite them as [name]; say so if they do not ` +
      `answer the question.\n\n${
        ranked.map((d, i) => `[${sources[i].name}]\n${d.text}`).join("\n\n")
      }\n\nQuestion: ${question}`,
  });
  return Response.json({ answer: text, sources });
}

function failure(e: unknown): Response {
  const status = e instanceof GenkitError ? e.status : "INTERNAL";
  const message = e instanceof Error ? e.message : String(e);
  return Response.json(
    { error: { status, message } },
    { status: e instanceof GenkitError ? e.code : 500 },
  );
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const route = { "/generate": generate, "/stream": stream, "/embed": embed, "/ask": ask }[
      pathname
    ];
    if (!route) return new Response("Not found", { status: 404 });
    if (request.method !== "POST") {
      return new Response("Use POST", { status: 405, headers: { allow: "POST" } });
    }
    let input: { prompt?: unknown; text?: unknown; question?: unknown };
    try {
      input = await request.json();
    } catch {
      return Response.json({ error: { status: "INVALID_ARGUMENT", message: "Send JSON." } }, {
        status: 400,
      });
    }
    const value = input?.prompt ?? input?.text ?? input?.question;
    if (typeof value !== "string") {
      return Response.json({
        error: {
          status: "INVALID_ARGUMENT",
          message: 'Send {"prompt": "..."}, {"text": "..."} or {"question": "..."}.',
        },
      }, { status: 400 });
    }
    try {
      app ??= createAI(env);
      return await route(app, value);
    } catch (e) {
      return failure(e);
    }
  },
};
