/**
 * Runtime adapters serving a web-standard handler: `Deno.serve` under Deno,
 * `node:http` elsewhere.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A web-standard request handler. */
type Handler = (request: Request) => Promise<Response>;

/** Which server implementation to use. */
export type ServerRuntime = "deno" | "node";

/** Where and how to listen. */
interface ServeOptions {
  /** Interface to listen on. */
  hostname: string;
  /** Port, `0` for a free one. */
  port: number;
  /** Server implementation; by default `deno` when `Deno.serve` exists, else `node`. */
  runtime?: ServerRuntime;
}

/** A listening server. */
interface RunningServer {
  /** The port it listens on. */
  readonly port: number;
  /** Closes every connection; resolves when the port is free. */
  close(): Promise<void>;
}

interface DenoServer {
  readonly addr: { port: number };
  shutdown(): Promise<void>;
}

interface DenoLike {
  serve(
    options: {
      hostname: string;
      port: number;
      onListen: () => void;
      onError: (error: unknown) => Response;
    },
    handler: Handler,
  ): DenoServer;
}

/** The default runtime of this process. */
function defaultRuntime(): ServerRuntime {
  const deno = (globalThis as { Deno?: Partial<DenoLike> }).Deno;
  return typeof deno?.serve === "function" ? "deno" : "node";
}

/** Serves `handler` on `options.hostname:options.port`. */
export function serve(handler: Handler, options: ServeOptions): Promise<RunningServer> {
  return (options.runtime ?? defaultRuntime()) === "deno"
    ? Promise.resolve(serveDeno(handler, options))
    : serveNode(handler, options);
}

/**
 * Deno prints, once per process, a notice that `request.signal` also aborts
 * after a successful response (its legacy behaviour). The emulator reads the
 * signal only to see clients leave mid-wait and ignores aborts after an answer
 * is complete, so the notice says nothing useful here; while an emulator
 * serves, that one notice is filtered out of `console.warn`.
 */
const LEGACY_ABORT_NOTICE = "Deno.serve: request.signal aborts on successful responses";
let noticeFilters = 0;
let originalWarn: typeof console.warn | undefined;
const filteredWarn = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith(LEGACY_ABORT_NOTICE)) return;
  originalWarn?.(...args);
};

function filterLegacyAbortNotice(): () => void {
  if (noticeFilters++ === 0) {
    originalWarn = console.warn;
    console.warn = filteredWarn;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--noticeFilters === 0) {
      if (console.warn === filteredWarn && originalWarn) console.warn = originalWarn;
      originalWarn = undefined;
    }
  };
}

function serveDeno(handler: Handler, options: ServeOptions): RunningServer {
  const deno = (globalThis as unknown as { Deno: DenoLike }).Deno;
  const release = filterLegacyAbortNotice();
  const server = deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: () => {},
    onError: () => new Response("Internal Server Error", { status: 500 }),
  }, handler);
  let closed: Promise<void> | undefined;
  return {
    port: server.addr.port,
    close: () => (closed ??= server.shutdown().finally(release)),
  };
}

function toRequest(
  req: IncomingMessage,
  body: Uint8Array<ArrayBuffer>,
  signal: AbortSignal,
  host: string,
) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    try {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    } catch {
      // A header the Request constructor refuses; it is not needed.
    }
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && body.length > 0;
  return new Request(`http://${req.headers.host ?? host}${req.url ?? "/"}`, {
    method,
    headers,
    body: hasBody ? body : undefined,
    signal,
  });
}

async function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk as Uint8Array);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function answerNode(
  handler: Handler,
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
): Promise<void> {
  const gone = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  let response: Response;
  try {
    const body = await readBody(req);
    response = await handler(toRequest(req, body, gone.signal, host));
  } catch {
    response = new Response("Internal Server Error", { status: 500 });
  }
  if (res.destroyed || gone.signal.aborted) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const onGone = () => void reader.cancel().catch(() => {});
  gone.signal.addEventListener("abort", onGone, { once: true });
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const settle = () => {
            res.off("drain", settle);
            res.off("close", settle);
            resolve();
          };
          res.on("drain", settle);
          res.on("close", settle);
        });
      }
    }
    res.end();
  } catch {
    // The body failed (answer interrupted or emulator closing): drop the connection.
    res.destroy();
  } finally {
    gone.signal.removeEventListener("abort", onGone);
  }
}

function serveNode(handler: Handler, options: ServeOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    void answerNode(handler, req, res, `${options.hostname}:${port}`);
  });
  let port = 0;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      port = (server.address() as AddressInfo).port;
      let closed: Promise<void> | undefined;
      resolve({
        port,
        close: () =>
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
