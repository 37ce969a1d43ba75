/**
 * Structured output: the model's own JSON mode, validated against a schema.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/structured.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit, z } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();

const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });

const Recipe = z.object({
  title: z.string().describe("Name of the dish"),
  minutes: z.number().describe("Total time in minutes"),
  ingredients: z.array(z.string()).describe("What to buy"),
});

const { output } = await ai.generate({
  model: cloudflareAI.model("@cf/meta/llama-3.3-70b-instruct-fp8-fast"),
  prompt: "A quick vegetarian dinner for two.",
  output: { schema: Recipe },
});
console.log(output);
