/**
 * Documents for the retrieval families (embedders, rerankers): their text,
 * which must be text parts only and not empty.
 *
 * @module
 */
import type { Document } from "genkit";
import { invalidArgument as invalid } from "./errors.ts";

/**
 * The text of a document, which must be made of text parts only and not be
 * empty; `what` names it in errors (e.g. `documents[3]`).
 */
export function documentText(
  model: string,
  doc: Document,
  what: string,
  task: "embed" | "rerank",
): string {
  const parts = doc.content ?? [];
  const other = parts.find((p) => typeof p.text !== "string");
  if (other) {
    const kind = other.media
      ? `media (${other.media.contentType ?? other.media.url.slice(0, 30)})`
      : Object.keys(other).find((k) => k !== "metadata") ?? "non-text";
    throw invalid(
      `Cannot ${task} ${what} with ${model}: it has a ${kind} part, and Workers AI ` +
        `${task === "embed" ? "embedding models" : "rerankers"} take text only. ` +
        "Pass text documents (Document.fromText).",
    );
  }
  const text = parts.map((p) => p.text).join("");
  if (text === "") {
    throw invalid(
      `Cannot ${task} ${what} with ${model}: it has no text. Workers AI refuses empty ` +
        "texts; remove it or give it text.",
    );
  }
  return text;
}
