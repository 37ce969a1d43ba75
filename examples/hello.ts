/**
 * The first example: a `sayHi` flow on Llama 3.1 8B.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/hello.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit, z } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();

const ai = genkit({
  promptDir: null,
  plugins: [cloudflareAI(connection.options)],
  model: cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast"),
});

export const sayHi = ai.defineFlow(
  { name: "sayHi", inputSchema: z.object({ name: z.string() }), outputSchema: z.string() },
  async ({ name }) => {
    const { text } = await ai.generate(`Say hi to ${name} in a friendly way!`);
    return text;
  },
);

console.log(await sayHi({ name: "Ada" }));
