/**
 * The other tasks: translate a sentence, classify a sentence and an image,
 * detect the objects in an image, and caption it.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/tasks.ts
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit } from "genkit";
import { type Classification, cloudflareAI, type DetectedObject } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();
const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });

// A tiny PNG; http(s) URLs work too (the plugin downloads them, with its limits).
const image = {
  media: {
    url:
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    contentType: "image/png",
  },
};

// Translation: targetLang is required; M2M100 also takes sourceLang (default en).
const french = await ai.generate({
  model: cloudflareAI.model("@cf/meta/m2m100-1.2b", { targetLang: "fr" }),
  prompt: "Where is the train station?",
});
console.log("translation:", french.text);

// Sentiment: the labels best first are the output; the text is the best one.
const sentiment = await ai.generate({
  model: cloudflareAI.model("@cf/huggingface/distilbert-sst-2-int8"),
  prompt: "The staff were wonderful and the room was lovely.",
});
const [best] = sentiment.output as Classification[];
console.log("sentiment:", sentiment.text, best.score.toFixed(3));

// Image classification: the five best labels.
const labels = await ai.generate({
  model: cloudflareAI.model("@cf/microsoft/resnet-50"),
  prompt: [image],
});
console.log("image labels:", (labels.output as Classification[]).map((l) => l.label).join(", "));

// Object detection: boxes in the image's pixels, best first; the text counts them.
const found = await ai.generate({
  model: cloudflareAI.model("@cf/facebook/detr-resnet-50"),
  prompt: [image],
});
const objects = found.output as DetectedObject[];
console.log("objects:", found.text, objects[0] ? JSON.stringify(objects[0].box) : "");

// Image to text: a caption, and an answer to a question.
const caption = await ai.generate({
  model: cloudflareAI.model("@cf/llava-hf/llava-1.5-7b-hf", { maxOutputTokens: 60 }),
  prompt: [image],
});
console.log("caption:", caption.text);
const answer = await ai.generate({
  model: cloudflareAI.model("@cf/moondream/moondream3.1-9B-A2B", { reasoning: false }),
  prompt: [{ text: "What colour is this image?" }, image],
});
console.log("answer:", answer.text);
