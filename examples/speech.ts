/**
 * Speech: say a sentence with Deepgram Aura and MeloTTS, save the audio, then
 * transcribe it back with Whisper and Deepgram Nova-3 and print the
 * transcripts and Whisper's WebVTT subtitles.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys --allow-write=examples/out examples/speech.ts
 *
 * Without --allow-write the audio is not saved; everything else runs.
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();
const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });

const sentence = "Your order has shipped and will arrive on Thursday.";
const out = new URL("./out/", import.meta.url);
const canWrite = Deno.permissions.querySync({ name: "write", path: out }).state === "granted";
const extension: Record<string, string> = { "audio/mpeg": "mp3", "audio/wav": "wav" };

const voices = [
  { model: cloudflareAI.model("@cf/deepgram/aura-2-en", { speaker: "luna" }), name: "aura" },
  { model: cloudflareAI.model("@cf/myshell-ai/melotts", { lang: "en" }), name: "melotts" },
];

for (const { model, name } of voices) {
  const { media } = await ai.generate({ model, prompt: sentence });
  if (!media) throw new Error(`${name} answered no audio`);
  const bytes = Uint8Array.from(atob(media.url.split(",")[1]), (c) => c.charCodeAt(0));
  console.log(`${name}: ${bytes.length} bytes of ${media.contentType}`);
  if (canWrite) {
    Deno.mkdirSync(out, { recursive: true });
    const file = `${name}.${extension[media.contentType ?? ""] ?? "bin"}`;
    Deno.writeFileSync(new URL(file, out), bytes);
    console.log(`  saved examples/out/${file}`);
  }

  // Whisper gets the file as raw bytes; its answer has words, timings and WebVTT.
  const whisper = await ai.generate({
    model: cloudflareAI.model("@cf/openai/whisper"),
    prompt: [{ media }],
  });
  console.log(`  whisper: ${whisper.text}`);
  const { vtt } = whisper.custom as { vtt?: string };
  if (vtt) console.log(vtt.trimEnd().split("\n").map((line) => `    ${line}`).join("\n"));

  // Nova-3's options go in the query string (REST) or beside the audio (binding).
  const nova = await ai.generate({
    model: cloudflareAI.model("@cf/deepgram/nova-3", { smartFormat: true, detectLanguage: true }),
    prompt: [{ media }],
  });
  console.log(`  nova-3:  ${nova.text}`);
}
if (!canWrite) console.log("(Run with --allow-write=examples/out to save the audio files.)");
