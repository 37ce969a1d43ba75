/**
 * Image generation: text-to-image with FLUX.1 [schnell] and Stable Diffusion
 * XL, image-to-image, inpainting with a mask, and FLUX.2 with two reference
 * images. Each image is written to IMAGE_OUT_DIR (examples/out/images when
 * it is not set), and its path, size and type printed.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys --allow-write=examples/out examples/image.ts
 *
 * Without write permission there, the images are made but not written.
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit, type MediaPart, type Part } from "genkit";
import process from "node:process";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

await using connection = await connect();
const ai = genkit({ promptDir: null, plugins: [cloudflareAI(connection.options)] });

const out = process.env.IMAGE_OUT_DIR ?? new URL("./out/images", import.meta.url).pathname;
const canWrite = Deno.permissions.querySync({ name: "write", path: out }).state === "granted";
if (canWrite) await Deno.mkdir(out, { recursive: true });
const extension: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg" };

/** Prints an image's size and type, and writes it to the output folder. */
async function save(name: string, media: MediaPart["media"]): Promise<void> {
  const bytes = Uint8Array.from(atob(media.url.split(",")[1]), (c) => c.charCodeAt(0));
  const file = `${out}/${name}.${extension[media.contentType ?? ""] ?? "bin"}`;
  if (canWrite) await Deno.writeFile(file, bytes);
  console.log(
    `${name}: ${bytes.length} bytes of ${media.contentType}${canWrite ? `, ${file}` : ""}`,
  );
}

// Text to image. FLUX.1 [schnell] takes only a step count (its size is fixed).
const schnell = await ai.generate({
  model: cloudflareAI.model("@cf/black-forest-labs/flux-1-schnell"),
  prompt: "a cyberpunk lizard, neon lights, rain",
  config: { steps: 4 },
});
await save("flux-1-schnell", schnell.media!);

const sdxl = await ai.generate({
  model: cloudflareAI.model("@cf/stabilityai/stable-diffusion-xl-base-1.0"),
  prompt: "a lighthouse on a cliff at dusk, oil painting",
  config: { width: 384, height: 384, steps: 20, seed: 7, negativePrompt: "text, watermark" },
});
await save("sdxl", sdxl.media!);

// Image to image: the first media part of the prompt is the source image.
const source: Part = { media: sdxl.media! };
const painted = await ai.generate({
  model: cloudflareAI.model("@cf/runwayml/stable-diffusion-v1-5-img2img"),
  prompt: [{ text: "the same lighthouse in winter, snow" }, source],
  config: { strength: 0.6, seed: 7 },
});
await save("img2img", painted.media!);

// Inpainting: the part tagged { type: "mask" } says where to paint (white) and where not (black).
const mask: Part = {
  media: { url: await halfMask(384, 384), contentType: "image/png" },
  metadata: { type: "mask" },
};
const inpainted = await ai.generate({
  model: cloudflareAI.model("@cf/runwayml/stable-diffusion-v1-5-inpainting"),
  prompt: [{ text: "a full moon over the sea" }, source, mask],
});
await save("inpainting", inpainted.media!);

// FLUX.2: up to four reference images, sent as input_image_0, input_image_1, … in order.
const flux2 = await ai.generate({
  model: cloudflareAI.model("@cf/black-forest-labs/flux-2-klein-4b"),
  prompt: [
    { text: "the lighthouse of image 0 painted in the style of image 1" },
    source,
    { media: painted.media! },
  ],
  config: { width: 512, height: 512, seed: 1 },
});
await save("flux-2-klein-4b", flux2.media!);
if (!canWrite) console.log(`(Run with --allow-write=${out} to write the images to files.)`);

/**
 * A grayscale PNG mask, as a data URL: the right half white (to repaint), the
 * left half black (to keep). PNG is zlib-compressed rows, each after a filter
 * byte, in chunks that end with a CRC-32.
 */
async function halfMask(width: number, height: number): Promise<string> {
  const rows = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    rows.fill(255, y * (width + 1) + 1 + width / 2, (y + 1) * (width + 1));
  }
  const zlib = new Uint8Array(
    await new Response(new Blob([rows]).stream().pipeThrough(new CompressionStream("deflate")))
      .arrayBuffer(),
  );
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale
  const chunk = (type: string, data: Uint8Array) => {
    const bytes = new Uint8Array(12 + data.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, data.length);
    bytes.set([...type].map((c) => c.charCodeAt(0)), 4);
    bytes.set(data, 8);
    let crc = ~0;
    for (const b of bytes.subarray(4, 8 + data.length)) {
      crc ^= b;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    view.setUint32(8 + data.length, ~crc >>> 0);
    return bytes;
  };
  const png = new Uint8Array(
    await new Blob([
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", header),
      chunk("IDAT", zlib),
      chunk("IEND", new Uint8Array()),
    ]).arrayBuffer(),
  );
  return `data:image/png;base64,${btoa(String.fromCharCode(...png))}`;
}
