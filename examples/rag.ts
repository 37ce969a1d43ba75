/**
 * Answering from your own files on Cloudflare, end to end: files to
 * Markdown documents (Workers AI's Markdown conversion), documents embedded
 * and indexed into Vectorize, retrieval with a metadata filter, reranking,
 * and an answer that cites its sources.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/rag.ts
 *
 * Against Cloudflare, the token needs the Workers AI and Vectorize Edit
 * permissions; the index `genkit-rag` (768 dimensions, cosine) and its
 * metadata index on `kind` are created when missing.
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import process from "node:process";
import { genkit } from "genkit";
import { cloudflareAI, type CloudflareAIOptions } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();
const cf = cloudflareAI(connection.options);
const ai = genkit({
  promptDir: null,
  plugins: [cf],
  model: cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast"),
});

const INDEX = "genkit-rag";
await ensureIndex(connection.options);

// 1. Files to documents: one Markdown document per file, its name in its metadata.
const files = [
  {
    name: "kettle-guide.html",
    kind: "guide",
    data: "<h1>Kettle guide</h1><p>To reset the kettle, hold the power button for five " +
      "seconds until the light blinks twice.</p><p>Descale it every month with vinegar.</p>",
  },
  {
    name: "faq.md",
    kind: "faq",
    data: "# FAQ\n\nThe kettle switches itself off when the water boils or the jug is empty.",
  },
  { name: "prices.csv", kind: "prices", data: "item,price\nkettle,39\nfilter,5" },
];
const docs = await cf.toMarkdown(files.map(({ name, data }) => ({ name, data })));
const documents = docs.map((d, i) => {
  d.metadata = { ...d.metadata, id: files[i].name, kind: files[i].kind };
  return d;
});
console.log(
  `Converted ${documents.length} files: ${documents.map((d) => d.metadata?.name).join(", ")}`,
);

// 2. Index: embedded with bge-base (768 dimensions), upserted; wait until queryable.
const embedder = "@cf/baai/bge-base-en-v1.5";
await ai.index({
  indexer: cloudflareAI.vectorizeIndexer(INDEX, { embedder }),
  documents,
  options: { waitUntilApplied: true, timeoutMs: 60_000 },
});

// 3. Retrieve, only from guides and FAQs, then rerank with a cross-encoder.
const question = "How do I reset the kettle?";
const found = await ai.retrieve({
  retriever: cloudflareAI.vectorizeRetriever(INDEX, { embedder }),
  query: question,
  options: { k: 3, filter: { kind: { $in: ["guide", "faq"] } } },
});
const ranked = await ai.rerank({
  reranker: cloudflareAI.reranker("@cf/baai/bge-reranker-base"),
  query: question,
  documents: found,
  options: { topK: 2 },
});
for (const d of ranked) console.log(`  ${d.score().toFixed(3)}  ${d.metadata.name}`);

// 4. Answer from those passages, citing them by file name.
const { text } = await ai.generate({
  prompt: `Answer in one or two sentences using only these sources, and cite them as [name].\n\n${
    ranked.map((d) => `[${d.metadata.name}]\n${d.text}`).join("\n\n")
  }\n\nQuestion: ${question}`,
});
console.log(`Answer: ${text}`);
console.log(`Sources: ${ranked.map((d) => d.metadata.name).join(", ")}`);

/** Creates the index and its metadata index on `kind` when they do not exist yet. */
async function ensureIndex(options: CloudflareAIOptions): Promise<void> {
  const account = options.accountId ?? process.env.CLOUDFLARE_ACCOUNT_ID;
  const token = options.apiToken ?? process.env.CLOUDFLARE_API_TOKEN;
  const base = options.baseUrl ?? process.env.CLOUDFLARE_AI_BASE_URL ??
    "https://api.cloudflare.com/client/v4";
  const url = `${base}/accounts/${account}/vectorize/v2/indexes`;
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const exists = await fetch(`${url}/${INDEX}`, { headers: { authorization: `Bearer ${token}` } });
  await exists.body?.cancel();
  if (exists.ok) return;
  const created = await post("", { name: INDEX, config: { dimensions: 768, metric: "cosine" } });
  if (!created.ok) throw new Error(`Could not create ${INDEX}: ${await created.text()}`);
  await created.body?.cancel();
  // Filtering needs a metadata index made before the vectors are written.
  const meta = await post(`/${INDEX}/metadata_index/create`, {
    propertyName: "kind",
    indexType: "string",
  });
  if (!meta.ok) throw new Error(`Could not index metadata of ${INDEX}: ${await meta.text()}`);
  await meta.body?.cancel();
}
