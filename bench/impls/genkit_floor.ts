/**
 * `genkit-floor`: `ai.generate` / `ai.generateStream` / `ai.embedMany` with a
 * model and an embedder defined in-process that answer what the emulator
 * answers, with no network: the framework's own cost.
 *
 * @module
 */
import { genkit } from "genkit";
import { EMBED_DIMS, EMBED_TEXTS, type Impl, replyTokens, shortTexts } from "../common.ts";
import { genkitText } from "./genkit_text.ts";

const MODEL = "floor/echo";
const EMBEDDER = "floor/embed";

/**
 * A deterministic unit vector for a text, with full-precision components like
 * the API's (their length matters: Genkit serialises every action's output).
 */
function vector(text: string): number[] {
  let seed = 2166136261;
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619);
  const v = new Array<number>(EMBED_DIMS);
  let norm = 0;
  for (let i = 0; i < EMBED_DIMS; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    v[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < EMBED_DIMS; i++) v[i] /= norm;
  return v;
}

/** Creates the `genkit-floor` implementation. */
export function genkitFloor(): Promise<Impl> {
  const ai = genkit({ promptDir: null });
  // The vectors are made before any measurement: the floor measures Genkit, not arithmetic.
  const vectors = new Map<string, number[]>();
  for (const text of shortTexts(EMBED_TEXTS)) vectors.set(text, vector(text));
  const lookup = (text: string) => {
    let v = vectors.get(text);
    if (!v) vectors.set(text, v = vector(text));
    return v;
  };
  ai.defineModel(
    {
      apiVersion: "v2",
      name: MODEL,
      supports: { multiturn: true, systemRole: true, media: false, tools: false },
    },
    (request, { streamingRequested, sendChunk }) => {
      let last = "";
      for (const m of request.messages) {
        if (m.role === "user") last = m.content.map((p) => p.text ?? "").join("");
      }
      const limit = (request.config as { maxOutputTokens?: number } | undefined)
        ?.maxOutputTokens ?? 256;
      const tokens = replyTokens(last, limit);
      if (streamingRequested) {
        for (const t of tokens) sendChunk({ content: [{ text: t }] });
      }
      const words = last.trim() === "" ? 0 : last.trim().split(/\s+/).length;
      return Promise.resolve({
        message: { role: "model", content: [{ text: tokens.join("") }] },
        finishReason: "stop",
        usage: {
          inputTokens: words,
          outputTokens: tokens.length,
          totalTokens: words + tokens.length,
        },
      });
    },
  );
  ai.defineEmbedder(
    { name: EMBEDDER, info: { dimensions: EMBED_DIMS, label: "in-process embedder" } },
    (input) =>
      Promise.resolve({ embeddings: input.map((doc) => ({ embedding: lookup(doc.text) })) }),
  );
  return Promise.resolve({
    name: "genkit-floor",
    ...genkitText(ai, MODEL, (maxTokens) => ({ maxOutputTokens: maxTokens })),
    async embed(texts) {
      const out = await ai.embedMany({ embedder: EMBEDDER, content: texts });
      return out.map((e) => e.embedding);
    },
  });
}
