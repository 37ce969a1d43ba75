/**
 * Embeddings: embed a handful of passages in one call, then find the ones
 * closest to a question by cosine similarity.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/embed.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();

const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });
const embedder = cloudflareAI.embedder("@cf/baai/bge-base-en-v1.5");

const passages = [
  "Ada Lovelace wrote the first algorithm meant to be carried out by a machine.",
  "The Analytical Engine was a proposed mechanical general-purpose computer.",
  "Cats sleep between twelve and sixteen hours a day.",
  "Charles Babbage designed the Difference Engine to tabulate polynomials.",
  "Workers AI runs machine learning models on Cloudflare's global network.",
  "Tea was first drunk as a medicinal beverage in ancient China.",
];

// One call for every passage: the plugin sends them in batches of the
// model's limit (100 texts), several at a time, and keeps the input order.
const vectors = await ai.embedMany({ embedder, content: passages });
console.log(`Embedded ${vectors.length} passages, ${embedder.info?.dimensions} numbers each.`);

const question = "Who wrote the first computer program?";
const [query] = await ai.embed({ embedder, content: question });

// bge vectors are unit length, so the dot product is the cosine similarity.
const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);
const ranked = passages
  .map((text, i) => ({ text, similarity: cosine(query.embedding, vectors[i].embedding) }))
  .sort((a, b) => b.similarity - a.similarity);

console.log(`Closest to "${question}":`);
for (const { text, similarity } of ranked.slice(0, 3)) {
  console.log(`  ${similarity.toFixed(3)}  ${text}`);
}
