/**
 * Deterministic vectors and relevance scores, shared by the embedding and
 * reranking tasks.
 *
 * @module
 */

import { hash32, prng, wordsOf } from "./util.ts";

/**
 * A deterministic unit vector for a text: feature hashing of its lower-cased
 * words (hash-derived index, sign and magnitude), plus a small component
 * seeded by the whole text, L2-normalised. Texts sharing words are not
 * orthogonal; equal texts give equal vectors.
 */
export function embed(text: string, dims: number, pooling: "mean" | "cls" = "mean"): number[] {
  const v = new Array<number>(dims).fill(0);
  const words = wordsOf(text);
  words.forEach((w, i) => {
    // cls pooling weighs the start of the text a little more.
    const weight = pooling === "cls" ? 1 + 1 / (i + 1) : 1;
    for (let k = 0; k < 3; k++) {
      const h = hash32(`${w}#${k}`);
      const idx = h % dims;
      const sign = (h >>> 31) === 1 ? -1 : 1;
      const magnitude = 0.5 + ((h >>> 8) % 1000) / 2000;
      v[idx] += sign * magnitude * weight;
    }
  });
  const rand = prng(hash32(`${pooling}:${text}`));
  const noise = words.length === 0 ? 1 : 0.05;
  for (let i = 0; i < dims; i++) v[i] += (rand() * 2 - 1) * noise;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / norm);
}

function cosine(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** A relevance score in (0, 1): a sigmoid of word overlap plus vector cosine. */
function relevance(query: string, context: string): number {
  const q = new Set(wordsOf(query));
  const c = new Set(wordsOf(context));
  let shared = 0;
  for (const w of q) if (c.has(w)) shared++;
  const overlap = q.size === 0 ? 0 : shared / q.size;
  const cos = cosine(embed(query, 256), embed(context, 256));
  return 1 / (1 + Math.exp(-(5 * overlap + 2 * cos - 3)));
}

/** The contexts' `{id, score}`, best first (ties by index), the best `topK` when given. */
export function rank(
  query: string,
  contexts: string[],
  topK?: number,
): { id: number; score: number }[] {
  const scored = contexts.map((text, id) => ({ id, score: relevance(query, text) }));
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return topK === undefined ? scored : scored.slice(0, topK);
}
