// Image generation in the emulator: each model's request schema and answer
// form, and images that are valid files, deterministic, and made from their inputs.
import assert from "node:assert/strict";
import { IMAGE_MODELS } from "../../src/image/catalog.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { crc32, encodePng } from "../../src/testing/png.ts";
import { errorOf, run } from "./_helpers.ts";

const SCHNELL = "@cf/black-forest-labs/flux-1-schnell";
const FLUX2 = "@cf/black-forest-labs/flux-2-dev";
const KLEIN = "@cf/black-forest-labs/flux-2-klein-9b";
const SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
const IMG2IMG = "@cf/runwayml/stable-diffusion-v1-5-img2img";
const PHOENIX = "@cf/leonardo/phoenix-1.0";
const LUCID = "@cf/leonardo/lucid-origin";

const be32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at);

/** Checks a PNG the way a decoder reads it and returns its size and comment. */
async function readPng(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; comment: string }> {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  let width = 0;
  let height = 0;
  let comment = "";
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (at < bytes.length) {
    const length = be32(bytes, at);
    const type = new TextDecoder().decode(bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    assert.equal(
      be32(bytes, at + 8 + length),
      crc32(bytes, at + 4, at + 8 + length),
      `${type} CRC`,
    );
    types.push(type);
    if (type === "IHDR") {
      width = be32(data, 0);
      height = be32(data, 4);
      assert.deepEqual([...data.subarray(8)], [8, 2, 0, 0, 0], "8-bit RGB");
    }
    if (type === "tEXt") comment = new TextDecoder("latin1").decode(data).split("\0")[1];
    if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  assert.equal(types[0], "IHDR");
  assert.equal(types.at(-1), "IEND");
  // zlib with a valid Adler-32: DecompressionStream rejects a bad one.
  const raw = new Uint8Array(
    await new Response(
      new Blob(idat as BlobPart[]).stream().pipeThrough(new DecompressionStream("deflate")),
    )
      .arrayBuffer(),
  );
  assert.equal(raw.length, height * (1 + 3 * width), "every row, filter byte first");
  for (let y = 0; y < height; y++) assert.equal(raw[y * (1 + 3 * width)], 0);
  return { width, height, comment };
}

/**
 * Checks a baseline JPEG's structure and decodes its scan with the Huffman
 * tables the file defines: every block must be a DC code, its bits and an
 * end-of-block, for exactly the blocks of the frame.
 */
function readJpeg(bytes: Uint8Array): { width: number; height: number; comment: string } {
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8]);
  assert.deepEqual([...bytes.subarray(-2)], [0xff, 0xd9]);
  let at = 2;
  let width = 0;
  let height = 0;
  let comment = "";
  const tables = new Map<number, Map<string, number>>();
  for (;;) {
    assert.equal(bytes[at], 0xff);
    const marker = bytes[at + 1];
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const data = bytes.subarray(at + 4, at + 2 + length);
    if (marker === 0xfe) comment = new TextDecoder("latin1").decode(data);
    if (marker === 0xc0) {
      height = (data[1] << 8) | data[2];
      width = (data[3] << 8) | data[4];
    }
    if (marker === 0xc4) {
      for (let i = 0; i < data.length;) {
        const id = data[i];
        const counts = data.subarray(i + 1, i + 17);
        const codes = new Map<string, number>();
        let code = 0;
        let k = i + 17;
        counts.forEach((n, len) => {
          for (let j = 0; j < n; j++) {
            codes.set((code++).toString(2).padStart(len + 1, "0"), data[k++]);
          }
          code <<= 1;
        });
        tables.set(id, codes);
        i = k;
      }
    }
    at += 2 + length;
    if (marker === 0xda) break;
  }
  // The scan's bits, stuffed zero bytes removed.
  let bits = "";
  for (let i = at; i < bytes.length - 2; i++) {
    bits += bytes[i].toString(2).padStart(8, "0");
    if (bytes[i] === 0xff) assert.equal(bytes[++i], 0, "0xFF is stuffed");
  }
  let pos = 0;
  const symbol = (table: Map<string, number>) => {
    for (let len = 1; len <= 16; len++) {
      const s = table.get(bits.slice(pos, pos + len));
      if (s !== undefined) {
        pos += len;
        return s;
      }
    }
    throw new Error(`no Huffman code at bit ${pos}`);
  };
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8) * 3;
  for (let b = 0; b < blocks; b++) {
    const category = symbol(tables.get(0x00)!); // the DC category, then that many bits
    pos += category;
    assert.equal(symbol(tables.get(0x10)!), 0x00, "end of block");
  }
  assert.ok(bits.length - pos < 8 && /^1*$/.test(bits.slice(pos)), "padded with 1 bits");
  return { width, height, comment };
}

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Posts a multipart form to a model. */
function postForm(emu: Emulator, model: string, fields: Record<string, string | Blob>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}` },
    body: form,
  });
}

Deno.test("binary models answer a PNG (or phoenix a JPEG) body; schnell and lucid-origin base64 JPEG; FLUX.2 base64 PNG", async () => {
  await using emu = await startEmulator();
  for (
    const id of [SDXL, "@cf/lykon/dreamshaper-8-lcm", "@cf/bytedance/stable-diffusion-xl-lightning"]
  ) {
    const res = await run(emu, id, { prompt: "a cat", width: 300, height: 256 });
    assert.equal(res.headers.get("content-type"), "image/png", id);
    const png = await readPng(await bytesOf(res));
    assert.deepEqual([png.width, png.height], [300, 256]);
    assert.match(
      png.comment,
      new RegExp(`^emulator model=${id} prompt=[0-9a-f]{8} seed=none size=300x256 inputs=none$`),
    );
  }
  const phoenix = await run(emu, PHOENIX, { prompt: "a cat", width: 100, height: 60 });
  assert.equal(phoenix.headers.get("content-type"), "image/jpeg");
  const jpeg = readJpeg(await bytesOf(phoenix));
  assert.deepEqual([jpeg.width, jpeg.height], [100, 60]);
  assert.match(jpeg.comment, new RegExp(`^emulator model=${PHOENIX} .* size=100x60 inputs=none$`));
  for (const id of [SCHNELL, LUCID]) {
    const res = await run(emu, id, { prompt: "a cat" });
    assert.equal(res.headers.get("content-type"), "application/json");
    const { result, success } = await res.json();
    assert.equal(success, true);
    const jpeg = readJpeg(fromB64(result.image));
    assert.deepEqual([jpeg.width, jpeg.height], [64, 64], "64 × 64 when no size is asked");
    assert.match(jpeg.comment, new RegExp(`model=${id} `));
  }
  const flux = await postForm(emu, FLUX2, { prompt: "a cat", width: "256", height: "320" });
  const { result } = await flux.json();
  const png = await readPng(fromB64(result.image));
  assert.deepEqual([png.width, png.height], [256, 320]);
});

Deno.test("a PNG answer's size follows the asked size: about 3 bytes a pixel, so ~2 MB at 1024 x 683", async () => {
  await using emu = await startEmulator();
  const bytes = await bytesOf(await run(emu, SDXL, { prompt: "big", width: 1024, height: 683 }));
  const { width, height } = await readPng(bytes);
  assert.deepEqual([width, height], [1024, 683]);
  assert.ok(bytes.length > 2_000_000 && bytes.length < 2_200_000, `${bytes.length} bytes`);
});

Deno.test("answers are the same for the same request, and differ with the prompt, the seed or the input image", async () => {
  await using emu = await startEmulator();
  const answer = async (body: Record<string, unknown>) =>
    await bytesOf(await run(emu, IMG2IMG, body));
  const red = encodePng({ width: 2, height: 2, row: (_, rgb) => rgb.set([255, 0, 0, 255, 0, 0]) });
  const blue = encodePng({ width: 2, height: 2, row: (_, rgb) => rgb.set([0, 0, 255, 0, 0, 255]) });
  const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  const base = { prompt: "a cat", seed: 5, image_b64: b64(red) };
  const first = await answer(base);
  assert.deepEqual(await answer(base), first);
  assert.notDeepEqual(await answer({ ...base, prompt: "a dog" }), first);
  assert.notDeepEqual(await answer({ ...base, seed: 6 }), first);
  assert.notDeepEqual(await answer({ ...base, image_b64: b64(blue) }), first);
  // The same image as a byte array is the same input.
  const asArray = await answer({ prompt: "a cat", seed: 5, image: [...red] });
  assert.match((await readPng(asArray)).comment, /inputs=image:/);
  // FLUX.2 reference images change the answer too.
  const plain = (await (await postForm(emu, KLEIN, { prompt: "x" })).json()).result.image;
  const withRef = await postForm(emu, KLEIN, {
    prompt: "x",
    input_image_0: new File([red], "ref.png", { type: "image/png" }),
  });
  assert.notEqual((await withRef.json()).result.image, plain);
});

Deno.test("the schemas refuse what the service refuses, with 5006: schnell's width/height, unknown fields, ranges, FLUX.2 as JSON", async () => {
  await using emu = await startEmulator();
  let e = await errorOf(await run(emu, SCHNELL, { prompt: "x", width: 512, height: 512 }));
  assert.deepEqual([e.status, e.code], [400, 5006]);
  assert.match(
    e.message,
    /Additional or unevaluated properties '\/width, \/height' at '\/' not allowed/,
  );
  e = await errorOf(await run(emu, SCHNELL, { prompt: "x", steps: 9 }));
  assert.match(e.message, /Value 9 at '\/steps' is greater than maximum 8/);
  e = await errorOf(await run(emu, SDXL, { prompt: "x", steps: 4 }));
  assert.match(e.message, /properties '\/steps' at '\/' not allowed/, "SDXL's field is num_steps");
  e = await errorOf(await run(emu, SDXL, { prompt: "x", width: 100 }));
  assert.match(e.message, /Value 100 at '\/width' is less than minimum 256/);
  e = await errorOf(await run(emu, SDXL, {}));
  assert.match(e.message, /required properties at '\/' are 'prompt'/);
  e = await errorOf(await run(emu, SDXL, { prompt: "x", image_b64: "@@@" }));
  assert.deepEqual([e.status, e.code], [400, 5004]);
  e = await errorOf(await run(emu, SDXL, { prompt: "x", mask: [1, 2, 300] }));
  assert.match(e.message, /'\/mask\/2' is not an 8-bit unsigned integer/);
  e = await errorOf(await run(emu, PHOENIX, { prompt: "x", negative_prompt: "" }));
  assert.match(e.message, /shorter than minLength 1/);
  // FLUX.2's published input has only `multipart`: a JSON prompt is refused.
  e = await errorOf(await run(emu, FLUX2, { prompt: "x" }));
  assert.deepEqual([e.status, e.code], [400, 5006]);
  assert.match(e.message, /Additional or unevaluated properties '\/prompt' at '\/' not allowed/);
  e = await errorOf(await postForm(emu, KLEIN, { prompt: "x", steps: "4" }));
  assert.match(e.message, /properties '\/steps' at '\/' not allowed/, "klein's steps are fixed");
  e = await errorOf(await postForm(emu, FLUX2, { prompt: "x", width: "wide" }));
  assert.match(e.message, /Type mismatch of '\/width'/);
  e = await errorOf(await postForm(emu, FLUX2, { width: "512" }));
  assert.match(e.message, /required properties at '\/' are 'prompt'/);
  e = await errorOf(
    await postForm(emu, FLUX2, { prompt: "x", input_image_4: new Blob([new Uint8Array(4)]) }),
  );
  assert.match(e.message, /'\/input_image_4' at '\/' not allowed/);
});

Deno.test("a prompt the content filter flags is refused with 3030", async () => {
  await using emu = await startEmulator();
  const e = await errorOf(await run(emu, SCHNELL, { prompt: "an NSFW picture" }));
  assert.deepEqual([e.status, e.code], [400, 3030]);
  assert.match(e.message, /Input prompt contains NSFW content/);
});

Deno.test("the model search lists every image model under Text-to-Image", async () => {
  await using emu = await startEmulator();
  const res = await fetch(
    `${emu.url}/accounts/${emu.accountId}/ai/models/search?task=Text-to-Image&per_page=100`,
    { headers: { authorization: `Bearer ${emu.apiToken}` } },
  );
  const { result } = await res.json();
  const listed = result.map((m: { name: string }) => m.name).sort();
  assert.deepEqual(listed, IMAGE_MODELS.map((m) => m.id).sort());
  const sdxl = result.find((m: { name: string }) => m.name === SDXL);
  assert.deepEqual(sdxl.properties, [{ property_id: "beta", value: "true" }]);
});
