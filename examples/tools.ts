/**
 * Tool calling: the model asks for the weather, Genkit runs the tool, the
 * result goes back with its call id, and the model answers.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/tools.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit, z } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();

const ai = genkit({
  promptDir: null,
  plugins: [cloudflareAI(connection.options)],
  model: cloudflareAI.model("@cf/meta/llama-3.3-70b-instruct-fp8-fast"),
});

const getWeather = ai.defineTool(
  {
    name: "getWeather",
    description: "The current weather in a city",
    inputSchema: z.object({ city: z.string().describe("The city, e.g. Lisbon") }),
    outputSchema: z.object({ city: z.string(), temperatureC: z.number(), sky: z.string() }),
  },
  ({ city }) => {
    console.log(`  (tool) getWeather(${JSON.stringify(city)})`);
    return Promise.resolve({ city, temperatureC: 19, sky: "clear" });
  },
);

const { text } = await ai.generate({
  prompt: "Should I take a jacket in city=Lisbon today? Use getWeather.",
  tools: [getWeather],
});
console.log(text);
