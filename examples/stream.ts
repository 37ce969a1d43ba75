/**
 * Streaming: print the answer as it arrives, then the usage.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/stream.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();

const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });

const { stream, response } = ai.generateStream({
  model: cloudflareAI.model("@cf/openai/gpt-oss-120b"),
  prompt: "Tell me a two-sentence story about a lighthouse keeper.",
  config: { maxOutputTokens: 400, reasoningEffort: "low" },
});
const encoder = new TextEncoder();
let thinking = false;
for await (const chunk of stream) {
  if (chunk.reasoning) {
    if (!thinking) await Deno.stdout.write(encoder.encode("(thinking) "));
    thinking = true;
    await Deno.stdout.write(encoder.encode(chunk.reasoning));
  }
  if (chunk.text) {
    if (thinking) await Deno.stdout.write(encoder.encode("\n\n"));
    thinking = false;
    await Deno.stdout.write(encoder.encode(chunk.text));
  }
}
const { usage, finishReason } = await response;
console.log(`\n[${finishReason}] ${usage.inputTokens} tokens in, ${usage.outputTokens} out`);
