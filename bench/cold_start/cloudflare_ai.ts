// Cold start: import genkit and this module, and create an app with the plugin.
import { genkit } from "genkit";
import { cloudflareAI } from "../../mod.ts";

export const ai = genkit({
  promptDir: null,
  plugins: [cloudflareAI({ accountId: "cold-start", apiToken: "cold-start" })],
});
