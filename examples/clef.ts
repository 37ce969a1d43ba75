/**
 * Decisions with Clef: the prompt is the state, each field of the output
 * schema is a question (a boolean asks yes/no, an enum a choice, a number
 * with a range a score), and the answers come back as the output, with the
 * probabilities behind them in `response.custom`.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/clef.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit, z } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();
const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });

// Each field's description is the question Clef is asked.
const Triage = z.object({
  refund: z.boolean().describe("Is the customer asking for their money back?"),
  topic: z.enum(["delivery", "billing", "product", "other"]).describe("What is it about?"),
  urgency: z.number().int().min(1).max(5).describe("How urgently does it need a reply?"),
});

const response = await ai.generate({
  model: cloudflareAI.model("@cf/cloudflare/clef"),
  // Text and data parts are the state; images (and, for clef-omni, audio and video) go with it.
  prompt: [
    { text: "A support ticket:" },
    { data: { subject: "Broken on arrival", body: "The kettle leaks. I want a refund today." } },
  ],
  output: { schema: Triage },
});

console.log("decision:", response.output);

// What the model answered for each question: probabilities and confidences.
const { answers } = response.custom as {
  answers: Record<string, { noul?: number; probabilities?: Record<string, number> }>;
};
console.log("P(refund):", answers.refund.noul);
console.log("topic probabilities:", answers.topic.probabilities);
