/**
 * Retrieval in three steps: embed passages and retrieve the closest to a
 * question by cosine similarity, rerank those with a cross-encoder, and
 * answer from the best of them with a text model.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/rerank.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { Document, genkit } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();

const ai = genkit({
  promptDir: null,
  plugins: [cloudflareAI(connection.options)],
  model: cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast"),
});
const embedder = cloudflareAI.embedder("@cf/baai/bge-base-en-v1.5");
const reranker = cloudflareAI.reranker("@cf/baai/bge-reranker-base", { topK: 2 });

const library = [
  { text: "Ada Lovelace wrote the first algorithm meant to be carried out by a machine.", id: 1 },
  { text: "The Analytical Engine was a proposed mechanical general-purpose computer.", id: 2 },
  { text: "Cats sleep between twelve and sixteen hours a day.", id: 3 },
  { text: "Charles Babbage designed the Difference Engine to tabulate polynomials.", id: 4 },
  { text: "Workers AI runs machine learning models on Cloudflare's global network.", id: 5 },
  {
    text: "Lovelace's notes on the Analytical Engine include a program for Bernoulli numbers.",
    id: 6,
  },
].map(({ text, id }) => Document.fromText(text, { id }));

const question = "Who wrote the first computer program?";

// 1. Retrieve: the four passages closest to the question.
const vectors = await ai.embedMany({ embedder, content: library });
const [query] = await ai.embed({ embedder, content: question });
const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);
const candidates = library
  .map((doc, i) => ({ doc, similarity: cosine(query.embedding, vectors[i].embedding) }))
  .sort((a, b) => b.similarity - a.similarity)
  .slice(0, 4)
  .map(({ doc }) => doc);

// 2. Rerank: the cross-encoder reads question and passage together. Genkit
// does not read a reranker reference's config, so it is passed as options.
const best = await ai.rerank({
  reranker,
  query: question,
  documents: candidates,
  options: reranker.config,
});
for (const doc of best) {
  console.log(`  score ${doc.score().toFixed(3)}  #${doc.metadata.id}  ${doc.text}`);
}

// 3. Answer from the reranked passages only.
const { text } = await ai.generate({
  prompt: `Answer in one sentence, using only these passages.\n\n${
    best.map((d) => `- ${d.text}`).join("\n")
  }\n\nQuestion: ${question}`,
});
console.log(`Answer: ${text}`);
