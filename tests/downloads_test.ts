// Remote media downloads: what a prompt's URLs may reach, how much they may
// bring back, how long they may take, and what the errors say.
import assert from "node:assert/strict";
import type { MessageData } from "genkit";
import { cloudflareAI, type CloudflareAIOptions } from "../mod.ts";
import { download, DownloadBudget, isRemoteUrl } from "../src/downloads/download.ts";
import { base64 } from "../src/base64.ts";
import { inlineRemoteMedia } from "../src/downloads/inline.ts";
import {
  DEFAULT_DOWNLOAD_CAPS,
  type DownloadPolicy,
  downloadPolicy,
} from "../src/downloads/policy.ts";
import { type App, failure, modelRequests, setup } from "./_setup.ts";

const VISION = "@cf/mistralai/mistral-small-3.1-24b-instruct";
const ADMIN_HINT = /mediaDownloads: \{ allowPrivateHosts: true \}/;

// A 1x1 PNG (70 bytes).
const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
const PNG_BYTES = Uint8Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));

/** The global fetch as the tests found it (one test replaces it to count its calls). */
const realFetch = globalThis.fetch;

/** What the in-process image host saw. */
interface Host {
  fetch: typeof fetch;
  /** Every URL asked for, in order. */
  calls: URL[];
  /** The paths whose bodies were cancelled. */
  cancelled: string[];
  /** The signal of every request. */
  signals: AbortSignal[];
}

/**
 * An in-process stand-in for public image servers; it answers any host, by path:
 * - `/cat.png`: a 70-byte PNG (`/cat.png` with any query too)
 * - `/to?u=<url>`: 302 to `<url>`
 * - `/chain/<n>`: 302 to `<n-1>` (a relative Location); `/chain/0` is the PNG
 * - `/loop`: 302 to itself
 * - `/kib/<n>.png`: n KiB of image/png in 1 KiB chunks, without Content-Length
 * - `/sized/<n>.png`: n bytes of image/png with Content-Length
 * - `/stall.png`: headers, then a body that never sends a byte
 * - `/hang`: no headers until the request's signal aborts
 * - `/deaf`: no headers ever, whatever the signal does
 * - `/down.png`: a network failure whose message repeats the whole URL
 * - `/status/<code>`: that HTTP status
 * - `/page.html`, `/song.mp3`, `/typeless`: text/html, audio/mpeg, no content-type
 */
function imageHost(): Host {
  const calls: URL[] = [];
  const cancelled: string[] = [];
  const signals: AbortSignal[] = [];
  const image = (path: string, chunks: Uint8Array[], headers: Record<string, string> = {}) => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (i < chunks.length) c.enqueue(chunks[i++]);
        else c.close();
      },
      cancel() {
        cancelled.push(path);
      },
    });
    return new Response(body, { headers: { "content-type": "image/png", ...headers } });
  };
  const hostFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(url);
    if (init?.signal) signals.push(init.signal);
    const path = url.pathname;
    const redirect = (location: string) =>
      Promise.resolve(new Response(null, { status: 302, headers: { location } }));
    let m: RegExpExecArray | null;
    if (path === "/cat.png") return Promise.resolve(image(path, [PNG_BYTES]));
    if (path === "/to") return redirect(url.searchParams.get("u")!);
    if ((m = /^\/chain\/(\d+)$/.exec(path))) {
      const n = Number(m[1]);
      return n === 0 ? Promise.resolve(image(path, [PNG_BYTES])) : redirect(String(n - 1));
    }
    if (path === "/loop") return redirect("/loop");
    if ((m = /^\/kib\/(\d+)\.png$/.exec(path))) {
      const kib = Number(m[1]);
      return Promise.resolve(image(path, Array.from({ length: kib }, () => new Uint8Array(1024))));
    }
    if ((m = /^\/sized\/(\d+)\.png$/.exec(path))) {
      return Promise.resolve(
        image(path, [new Uint8Array(Number(m[1]))], { "content-length": m[1] }),
      );
    }
    if (path === "/stall.png") {
      const body = new ReadableStream<Uint8Array>({
        cancel() {
          cancelled.push(path);
        },
      });
      return Promise.resolve(new Response(body, { headers: { "content-type": "image/png" } }));
    }
    if (path === "/hang") {
      return new Promise((_, reject) => {
        const signal = init!.signal!;
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    if (path === "/deaf") return new Promise(() => {});
    if (path === "/down.png") {
      return Promise.reject(
        new TypeError(`error sending request for url (${url.href}): connection refused`),
      );
    }
    if ((m = /^\/status\/(\d+)$/.exec(path))) {
      return Promise.resolve(new Response("no", { status: Number(m[1]) }));
    }
    if (path === "/song.mp3") {
      return Promise.resolve(
        new Response(new Uint8Array([0xff, 0xfb, 0x90, 0x00]), {
          headers: { "content-type": "audio/mpeg" },
        }),
      );
    }
    if (path === "/typeless") return Promise.resolve(new Response(PNG_BYTES));
    return Promise.resolve(
      new Response("<html></html>", { headers: { "content-type": "text/html" } }),
    );
  };
  return { fetch: hostFetch, calls, cancelled, signals };
}

/** An app whose plugin `fetch` sends emulator requests to the emulator and everything else to `host`. */
async function appWith(host: Host, plugin: Partial<CloudflareAIOptions> = {}): Promise<App> {
  let emulator = "";
  const app = await setup({
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.startsWith(emulator) ? realFetch(input, init) : host.fetch(input, init);
    },
    ...plugin,
  });
  emulator = app.emu.url;
  return app;
}

function ask(app: App, ...urls: string[]) {
  return app.ai.generate({
    model: cloudflareAI.model(VISION),
    prompt: [{ text: "What is this?" }, ...urls.map((url) => ({ media: { url } }))],
  });
}

/** The image URLs of the first model request the emulator received. */
function sentImages(app: App): string[] {
  const body = modelRequests(app.emu)[0].body as {
    messages: { content: { image_url?: { url: string } }[] }[];
  };
  return body.messages[0].content.flatMap((p) => p.image_url ? [p.image_url.url] : []);
}

/** A policy for the unit tests, over `fetchImpl`. */
function policy(fetchImpl: typeof fetch, changes: Partial<DownloadPolicy> = {}): DownloadPolicy {
  return { ...DEFAULT_DOWNLOAD_CAPS, fetch: fetchImpl, timeoutMs: 5_000, ...changes };
}

const never: typeof fetch = () => {
  throw new Error("fetch must not be called");
};

Deno.test("a redirect to a loopback, link-local, private or localhost host is refused before it is followed", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  const targets = [
    "http://127.0.0.1:8080/admin",
    "http://169.254.169.254/latest/meta-data/iam/",
    "http://[::1]:9000/",
    "http://localhost:3000/",
    "http://api.localhost/",
    "http://10.1.2.3/",
    "http://[::ffff:127.0.0.1]/", // IPv4-mapped IPv6
    "http://2130706433/", // 127.0.0.1 in decimal
    "http://0x7f.0.0.1/", // 127.0.0.1 in hex
  ];
  for (const target of targets) {
    host.calls.length = 0;
    const e = await failure(() =>
      ask(app, `https://images.example/to?u=${encodeURIComponent(target)}`)
    );
    assert.equal(e.status, "INVALID_ARGUMENT", target);
    assert.match(e.message, /is private/, target);
    assert.match(e.message, ADMIN_HINT, target);
    assert.deepEqual(host.calls.map((u) => u.pathname), ["/to"], `${target} was not fetched`);
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("a redirect chain is followed up to maxRedirects (relative Locations resolved) and refused beyond", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  const ok = await ask(app, "https://images.example/chain/3");
  assert.match(ok.text, /saw 1 image\(s\): image\/png 70 bytes/);
  assert.deepEqual(sentImages(app), [PNG_URL]);
  assert.deepEqual(host.calls.map((u) => u.pathname), [
    "/chain/3",
    "/chain/2",
    "/chain/1",
    "/chain/0",
  ]);
  for (const url of ["https://images.example/chain/4", "https://images.example/loop"]) {
    host.calls.length = 0;
    const e = await failure(() => ask(app, url));
    assert.equal(e.status, "INVALID_ARGUMENT", url);
    assert.match(e.message, /redirects more than 3 time\(s\) \(mediaDownloads\.maxRedirects\)/);
    assert.equal(host.calls.length, 4, `${url}: the first request and 3 redirects, no more`);
  }
  await using strict = await appWith(imageHost(), { mediaDownloads: { maxRedirects: 0 } });
  const none = await failure(() => ask(strict, "https://images.example/chain/1"));
  assert.match(none.message, /redirects more than 0 time/);
  assert.equal(modelRequests(app.emu).length, 1);
  assert.equal(modelRequests(strict.emu).length, 0);
});

Deno.test("a redirect to a non-http(s) URL (ftp:, file:, data:) is refused", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  for (const target of ["ftp://images.example/cat.png", "file:///etc/passwd", PNG_URL]) {
    host.calls.length = 0;
    const e = await failure(() =>
      ask(app, `https://images.example/to?u=${encodeURIComponent(target)}`)
    );
    assert.equal(e.status, "INVALID_ARGUMENT", target);
    assert.match(e.message, /only http: and https: URLs are downloaded/, target);
    assert.equal(host.calls.length, 1);
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("an upper-case HTTP:// or HTTPS:// URL is downloaded like a lower-case one", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  const res = await ask(app, "HTTPS://IMAGES.EXAMPLE/cat.png", "HTTP://images.example/chain/0");
  assert.match(res.text, /saw 2 image\(s\)/);
  assert.deepEqual(sentImages(app), [PNG_URL, PNG_URL]);
  assert.deepEqual(host.calls.map((u) => u.href), [
    "https://images.example/cat.png",
    "http://images.example/chain/0",
  ]);
});

Deno.test("a private host given directly is refused, and downloaded with allowPrivateHosts: true", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  const hosts = [
    "127.0.0.1:1",
    "127.1",
    "0.0.0.0",
    "10.0.0.5",
    "100.64.0.1", // CGNAT
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "[::1]",
    "[::]",
    "[fd00::1]",
    "[fe80::1]",
    "[::ffff:10.0.0.1]",
    "[::ffff:169.254.169.254]",
    "localhost",
    "LOCALHOST.",
    "printer.localhost",
  ];
  for (const h of hosts) {
    const e = await failure(() => ask(app, `http://${h}/cat.png`));
    assert.equal(e.status, "INVALID_ARGUMENT", h);
    assert.match(e.message, /the host \S+ is private/, h);
    assert.match(e.message, ADMIN_HINT, h);
  }
  assert.equal(host.calls.length, 0, "no private host was fetched");
  assert.equal(modelRequests(app.emu).length, 0);
  // Public addresses, and names that merely look local, are fetched.
  const publicHosts = ["8.8.8.8", "[2606:4700::1111]", "100.128.0.1", "localhost.example.com"];
  const res = await ask(app, ...publicHosts.map((h) => `http://${h}/cat.png`));
  assert.match(res.text, /saw 4 image\(s\)/);
  await using open = await appWith(host, { mediaDownloads: { allowPrivateHosts: true } });
  host.calls.length = 0;
  const allowed = await ask(
    open,
    "http://127.0.0.1:1/cat.png",
    "http://[::1]/to?u=http://10.0.0.1/cat.png",
  );
  assert.match(allowed.text, /saw 2 image\(s\): image\/png 70 bytes/);
  assert.deepEqual(sentImages(open), [PNG_URL, PNG_URL]);
  assert.equal(host.calls.length, 3);
});

Deno.test("downloads go through the plugin's fetch, never the global fetch", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  let globalCalls = 0;
  globalThis.fetch = (input, init) => {
    globalCalls++;
    return realFetch(input, init);
  };
  try {
    const res = await ask(app, "https://images.example/cat.png");
    assert.match(res.text, /saw 1 image\(s\)/);
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(globalCalls, 0);
  assert.deepEqual(host.calls.map((u) => u.href), ["https://images.example/cat.png"]);
  assert.equal(host.calls.length, 1);
});

Deno.test("a file over maxBytes is refused by its Content-Length and while it streams, and its body is cancelled", async () => {
  const host = imageHost();
  await using app = await appWith(host, { mediaDownloads: { maxBytes: 4096 } });
  const declared = await failure(() => ask(app, "https://images.example/sized/5000.png"));
  assert.equal(declared.status, "INVALID_ARGUMENT");
  assert.match(declared.message, /is 5000 bytes, over the limit of 4096 bytes a file/);
  assert.match(declared.message, /mediaDownloads\.maxBytes/);
  const streamed = await failure(() => ask(app, "https://images.example/kib/64.png"));
  assert.equal(streamed.status, "INVALID_ARGUMENT");
  assert.match(streamed.message, /is larger than the limit of 4096 bytes a file/);
  assert.deepEqual(host.cancelled, ["/sized/5000.png", "/kib/64.png"]);
  assert.equal(modelRequests(app.emu).length, 0);
  const fits = await ask(app, "https://images.example/kib/4.png");
  assert.match(fits.text, /image\/png 4096 bytes/);
});

Deno.test("the downloads of one request share maxTotalBytes: three 8 KiB images do not fit in 16 KiB, two do", async () => {
  const host = imageHost();
  await using app = await appWith(host, { mediaDownloads: { maxTotalBytes: 16 * 1024 } });
  const urls = [1, 2, 3].map((i) => `https://images.example/kib/8.png?n=${i}`);
  const e = await failure(() => ask(app, ...urls));
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /over the limit of 16384 bytes for all files together/);
  assert.match(e.message, /mediaDownloads\.maxTotalBytes/);
  assert.equal(modelRequests(app.emu).length, 0);
  // The budget is per request: two fit, and again in the next request.
  for (let i = 0; i < 2; i++) {
    const res = await ask(app, urls[0], urls[1]);
    assert.match(res.text, /saw 2 image\(s\): image\/png 8192 bytes, image\/png 8192 bytes/);
  }
});

Deno.test("a Content-Length over what is left of the request's budget is refused before the body is read", async () => {
  const host = imageHost();
  const budget = new DownloadBudget(10_000);
  assert.ok(budget.take(6_000));
  const e = await failure(() =>
    download("m", "https://images.example/sized/5000.png", "image", policy(host.fetch), budget)
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /over the limit of 10000 bytes for all files together/);
  assert.deepEqual(host.cancelled, ["/sized/5000.png"]);
  assert.equal(budget.used, 6_000);
  assert.equal(budget.remaining, 4_000);
});

Deno.test("a stalled body or stalled headers end with DEADLINE_EXCEEDED after timeoutMs", async () => {
  const host = imageHost();
  await using app = await appWith(host, { timeoutMs: 200 });
  for (const path of ["/stall.png", "/hang", "/deaf"]) {
    const started = Date.now();
    const e = await failure(() => ask(app, `https://images.example${path}`));
    const elapsed = Date.now() - started;
    assert.equal(e.status, "DEADLINE_EXCEEDED", path);
    assert.match(e.message, new RegExp(`${VISION}.*timeoutMs \\(200 ms\\)`), path);
    assert.deepEqual(e.detail, { model: VISION, url: `https://images.example${path}` });
    assert.ok(elapsed < 1200, `${path}: gave up after ${elapsed} ms`);
  }
  assert.deepEqual(host.cancelled, ["/stall.png"]);
  assert.ok(host.signals.every((s) => s.aborted), "every request's signal was aborted");
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("the caller's abort ends a download with CANCELLED", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  for (const path of ["/stall.png", "/hang", "/deaf"]) {
    const controller = new AbortController();
    const seen = host.calls.length;
    const call = failure(() =>
      app.ai.generate({
        model: cloudflareAI.model(VISION),
        prompt: [{ text: "?" }, { media: { url: `https://images.example${path}` } }],
        abortSignal: controller.signal,
      })
    );
    while (host.calls.length === seen) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const e = await call;
    assert.equal(e.status, "CANCELLED", path);
    assert.match(e.message, /cancelled by the caller/);
  }
  assert.deepEqual(host.cancelled, ["/stall.png"]);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("a network failure, HTTP 503 or 429 is UNAVAILABLE; HTTP 404 or 403 is INVALID_ARGUMENT", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  const cases: [string, string, RegExp][] = [
    ["/down.png", "UNAVAILABLE", /connection refused/],
    ["/status/503", "UNAVAILABLE", /HTTP 503/],
    ["/status/500", "UNAVAILABLE", /HTTP 500/],
    ["/status/429", "UNAVAILABLE", /HTTP 429/],
    ["/status/404", "INVALID_ARGUMENT", /HTTP 404/],
    ["/status/403", "INVALID_ARGUMENT", /HTTP 403/],
  ];
  for (const [path, status, message] of cases) {
    const e = await failure(() => ask(app, `https://images.example${path}`));
    assert.equal(e.status, status, path);
    assert.match(e.message, message, path);
    assert.match(e.message, new RegExp(`https://images\\.example${path} for ${VISION}`), path);
    assert.deepEqual(e.detail, { model: VISION, url: `https://images.example${path}` });
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("error messages never show a URL's query string, fragment or credentials", async () => {
  const host = imageHost();
  await using app = await appWith(host, { timeoutMs: 200 });
  const secret = "X-Amz-Signature=c0ffee5ecret&X-Amz-Credential=AKIA5ECRET";
  const urls = [
    `https://user:pa55word@images.example/down.png?${secret}#frag`,
    `https://images.example/status/403?${secret}`,
    `https://images.example/status/503?${secret}`,
    `https://images.example/page.html?${secret}`,
    `https://images.example/stall.png?${secret}`,
    `https://images.example/loop?${secret}`,
    `https://images.example/to?u=${encodeURIComponent(`http://10.0.0.1/x.png?${secret}`)}`,
    `https://images.example/to?u=${encodeURIComponent(`ftp://images.example/x.png?${secret}`)}`,
    `http://127.0.0.1/x.png?${secret}`,
  ];
  for (const url of urls) {
    const e = await failure(() => ask(app, url));
    assert.ok(e instanceof Error && typeof e.status === "string", url);
    for (const leak of ["c0ffee5ecret", "AKIA5ECRET", "Signature", "pa55word", "frag", "?"]) {
      assert.ok(!e.message.includes(leak), `${url}: ${leak} in ${e.message}`);
    }
    const shown = (e.detail as { url: string }).url;
    assert.ok(!shown.includes("?") && !shown.includes("ECRET"), shown);
  }
});

Deno.test("a download that is not an image is refused, whatever its content type", async () => {
  const host = imageHost();
  await using app = await appWith(host);
  for (const path of ["/page.html", "/song.mp3", "/typeless"]) {
    const e = await failure(() => ask(app, `https://images.example${path}`));
    assert.equal(e.status, "INVALID_ARGUMENT", path);
    assert.match(e.message, new RegExp(`images\\.example${path} is not an image`), path);
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("download returns the bytes and the lower-case content type without parameters, and takes audio for audio", async () => {
  const fetchImpl: typeof fetch = () =>
    Promise.resolve(
      new Response(PNG_BYTES, { headers: { "content-type": "IMAGE/PNG; charset=binary" } }),
    );
  const file = await download(
    "m",
    "https://images.example/a",
    "image",
    policy(fetchImpl),
    new DownloadBudget(1000),
  );
  assert.equal(file.contentType, "image/png");
  assert.deepEqual(file.bytes, PNG_BYTES);
  const host = imageHost();
  const song = await download(
    "m",
    "https://images.example/song.mp3",
    "audio",
    policy(host.fetch),
    new DownloadBudget(1000),
  );
  assert.equal(song.contentType, "audio/mpeg");
  assert.equal(song.bytes.length, 4);
  const e = await failure(() =>
    download(
      "m",
      "https://images.example/cat.png",
      "audio",
      policy(host.fetch),
      new DownloadBudget(1000),
    )
  );
  assert.match(e.message, /cat\.png is not audio \(content-type image\/png\)/);
});

Deno.test("download asks with redirect: manual, the caller's abort and an accept header", async () => {
  let seen: RequestInit | undefined;
  const fetchImpl: typeof fetch = (_input, init) => {
    seen = init;
    return Promise.resolve(new Response(PNG_BYTES, { headers: { "content-type": "image/png" } }));
  };
  await download(
    "m",
    "https://images.example/a",
    "image",
    policy(fetchImpl),
    new DownloadBudget(1e6),
  );
  assert.equal(seen?.redirect, "manual");
  assert.equal(seen?.method, "GET");
  assert.ok(seen?.signal instanceof AbortSignal);
  assert.deepEqual(seen?.headers, { accept: "image/*" });
  const aborted = AbortSignal.abort();
  const e = await failure(() =>
    download(
      "m",
      "https://images.example/a",
      "image",
      policy(never),
      new DownloadBudget(1),
      aborted,
    )
  );
  assert.equal(e.status, "CANCELLED");
});

Deno.test("inlineRemoteMedia: the same array without remote media; one budget; one download per URL", async () => {
  const messages = [{
    role: "user" as const,
    content: [{ text: "hi" }, { media: { url: PNG_URL } }],
  }];
  assert.equal(await inlineRemoteMedia("m", messages, "image", policy(never)), messages);
  const host = imageHost();
  const url = "https://images.example/cat.png";
  const input: MessageData[] = [
    { role: "system", content: [{ text: "be brief" }] },
    { role: "user", content: [{ media: { url } }, { text: "and" }, { media: { url } }] },
  ];
  const out = await inlineRemoteMedia("m", input, "image", policy(host.fetch));
  assert.equal(out[0], input[0], "a message without remote media is kept as it is");
  assert.deepEqual(out[1].content, [
    { media: { url: PNG_URL, contentType: "image/png" } },
    { text: "and" },
    { media: { url: PNG_URL, contentType: "image/png" } },
  ]);
  assert.equal(host.calls.length, 1);
  assert.equal(input[1].content[0].media?.url, url, "the input is not changed");
});

Deno.test("inlineRemoteMedia: when one download fails, the others are aborted before it rejects", async () => {
  const host = imageHost();
  const e = await failure(() =>
    inlineRemoteMedia(
      "m",
      [{
        role: "user",
        content: [
          { media: { url: "https://images.example/stall.png" } },
          { media: { url: "https://images.example/hang" } },
          { media: { url: "https://images.example/status/404" } },
        ],
      }],
      "image",
      policy(host.fetch, { timeoutMs: 0 }),
    )
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /HTTP 404/);
  assert.deepEqual(host.calls.map((u) => u.pathname), ["/stall.png", "/hang", "/status/404"]);
  assert.ok(host.signals[0].aborted && host.signals[1].aborted, "the other two were aborted");
  assert.deepEqual(host.cancelled, ["/stall.png"]);
});

Deno.test("downloadPolicy checks mediaDownloads and fills in the defaults", () => {
  const f: typeof fetch = (input, init) => realFetch(input, init);
  assert.deepEqual(downloadPolicy(undefined, f, 300), {
    ...DEFAULT_DOWNLOAD_CAPS,
    fetch: f,
    timeoutMs: 300,
  });
  assert.deepEqual(downloadPolicy({ maxRedirects: 0, allowPrivateHosts: true }, f, 0), {
    fetch: f,
    timeoutMs: 0,
    maxBytes: DEFAULT_DOWNLOAD_CAPS.maxBytes,
    maxTotalBytes: DEFAULT_DOWNLOAD_CAPS.maxTotalBytes,
    maxRedirects: 0,
    allowPrivateHosts: true,
  });
  // A larger file cap raises the default request cap with it.
  assert.equal(
    downloadPolicy({ maxBytes: 64 * 1024 * 1024 }, f, 1).maxTotalBytes,
    64 * 1024 * 1024,
  );
  const bad: [unknown, RegExp][] = [
    [
      { maxBytes: 0 },
      /cloudflareAI\(\): mediaDownloads\.maxBytes must be a whole number >= 1, got 0\.$/,
    ],
    [{ maxBytes: 1.5 }, /mediaDownloads\.maxBytes must be a whole number/],
    [
      { maxTotalBytes: "1MB" },
      /mediaDownloads\.maxTotalBytes must be a whole number >= 1, got "1MB"/,
    ],
    [
      { maxRedirects: 11 },
      /mediaDownloads\.maxRedirects must be a whole number from 0 to 10, got 11/,
    ],
    [{ maxRedirects: -1 }, /mediaDownloads\.maxRedirects/],
    [{ allowPrivateHosts: "yes" }, /mediaDownloads\.allowPrivateHosts must be true or false/],
    [{ allowPrivateHost: true }, /mediaDownloads\.allowPrivateHost is not an option/],
    [null, /cloudflareAI\(\): mediaDownloads must be an object/],
    [[], /mediaDownloads must be an object/],
    [5, /mediaDownloads must be an object/],
  ];
  for (const [options, message] of bad) {
    const e = (() => {
      try {
        downloadPolicy(options as never, f, 1);
      } catch (e) {
        return e as Error & { status?: string };
      }
      throw new Error(`${JSON.stringify(options)} was accepted`);
    })();
    assert.equal(e.status, "INVALID_ARGUMENT");
    assert.match(e.message, message);
  }
});

Deno.test("the plugin refuses a bad mediaDownloads when it is created", () => {
  assert.throws(
    () => cloudflareAI({ accountId: "a", apiToken: "t", mediaDownloads: { maxRedirects: 99 } }),
    /mediaDownloads\.maxRedirects must be a whole number from 0 to 10/,
  );
});

Deno.test("isRemoteUrl: http and https in any case, nothing else", () => {
  for (const url of ["http://a.example/x", "https://a.example/x", "HTTP://A/x", "hTtPs://a/x"]) {
    assert.ok(isRemoteUrl(url), url);
  }
  for (
    const url of [PNG_URL, "ftp://a/x", "file:///x", "/relative.png", "http//a", "", "httpx://a"]
  ) {
    assert.ok(!isRemoteUrl(url), url);
  }
});

Deno.test("base64 matches btoa for sizes around its chunk boundaries, with and without a native encoder", () => {
  const proto = Uint8Array.prototype as unknown as Record<string, unknown>;
  const native = Object.getOwnPropertyDescriptor(proto, "toBase64");
  for (const withNative of native ? [true, false] : [false]) {
    if (!withNative) delete proto.toBase64;
    try {
      for (const size of [0, 1, 2, 3, 4, 24575, 24576, 24577, 100_003]) {
        const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) & 0xff);
        let binary = "";
        for (const b of bytes) binary += String.fromCharCode(b);
        assert.equal(base64(bytes), btoa(binary), `${size} bytes, native: ${withNative}`);
        assert.equal(base64(bytes.subarray(1)), btoa(binary.slice(1)), `a view of ${size} bytes`);
      }
    } finally {
      if (native) Object.defineProperty(proto, "toBase64", native);
    }
  }
});

Deno.test("over real loopback HTTP: a relative redirect is followed, a stalled or too-large body is given up without leaks", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/r") {
      return new Response(null, { status: 302, headers: { location: "image.png" } });
    }
    if (path === "/image.png") {
      return new Response(PNG_BYTES, { headers: { "content-type": "image/png" } });
    }
    if (path === "/stall.png") {
      return new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(PNG_BYTES.subarray(0, 8));
          },
        }),
        {
          headers: { "content-type": "image/png" },
        },
      );
    }
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 1024) c.enqueue(new Uint8Array(1024));
        else c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "image/png" } });
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    await using app = await setup({
      timeoutMs: 300,
      mediaDownloads: { allowPrivateHosts: true, maxBytes: 64 * 1024 },
    });
    const res = await ask(app, `${base}/r`);
    assert.match(res.text, /saw 1 image\(s\): image\/png 70 bytes/);
    assert.deepEqual(sentImages(app), [PNG_URL]);
    const stalled = await failure(() => ask(app, `${base}/stall.png`));
    assert.equal(stalled.status, "DEADLINE_EXCEEDED");
    const big = await failure(() => ask(app, `${base}/big.png`));
    assert.equal(big.status, "INVALID_ARGUMENT");
    assert.match(big.message, /larger than the limit of 65536 bytes a file/);
    assert.equal(modelRequests(app.emu).length, 1);
  } finally {
    await server.shutdown();
  }
});

Deno.test("private hosts in every spelling the URL parser accepts are refused; public ones are fetched", async () => {
  const refused = [
    "http://017700000001/", // 127.0.0.1 in octal
    "http://0x7f000001/", // and in hex
    "http://0/", // 0.0.0.0
    "http://100.127.255.255/", // top of CGNAT
    "http://172.31.0.1/",
    "http://224.0.0.1/", // multicast
    "http://255.255.255.255/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:0:a00:1]/", // IPv4-translated 10.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/", // NAT64 169.254.169.254
    "http://[2002:7f00:1::]/", // 6to4 127.0.0.1
    "http://[fc00::1]/",
    "http://[febf::1]/", // top of fe80::/10
    "http://metadata.google.internal/",
    "http://printer.local/",
    "http://router.home.arpa/",
  ];
  const seen: string[] = [];
  const fetchImpl: typeof fetch = (input) => {
    seen.push(String(input));
    return Promise.resolve(new Response(PNG_BYTES, { headers: { "content-type": "image/png" } }));
  };
  for (const url of refused) {
    const e = await failure(() =>
      download("m", url, "image", policy(fetchImpl), new DownloadBudget(1e6))
    );
    assert.equal(e.status, "INVALID_ARGUMENT", url);
    assert.match(e.message, /is private/, url);
  }
  assert.deepEqual(seen, []);
  const fetched = [
    "http://100.63.255.255/", // just below CGNAT
    "http://172.32.0.1/",
    "http://[::ffff:8.8.8.8]/",
    "http://[2001:4860:4860::8888]/",
    "http://[2002:808:808::]/", // 6to4 8.8.8.8
    "http://localhost.example/",
  ];
  for (const url of fetched) {
    const file = await download("m", url, "image", policy(fetchImpl), new DownloadBudget(1e6));
    assert.equal(file.contentType, "image/png", url);
  }
  assert.equal(seen.length, fetched.length);
});
