/**
 * Image input: a picture and a question to a vision model.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/vision.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();

const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });

// A tiny PNG; http(s) URLs work too (the plugin downloads and inlines them).
const png =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

const { text } = await ai.generate({
  model: cloudflareAI.model("@cf/google/gemma-4-26b-a4b-it"),
  prompt: [{ text: "What colour is this image?" }, {
    media: { url: png, contentType: "image/png" },
  }],
});
console.log(text);
