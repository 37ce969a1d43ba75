/**
 * What identifies a request afterwards, as Cloudflare adds it to every
 * answer: a `cf-ray` Ray ID on each response, and on the AI Gateway route a
 * `cf-aig-log-id` (the gateway's log entry, for its feedback API) beside the
 * gateway's `cf-aig-cache-status`. Deterministic: the n-th response of an
 * emulator has the same ids in every run.
 *
 * @module
 */

/** A Ray ID shaped like Cloudflare's (16 hex digits, a dash, a data centre). */
function rayId(n: number): string {
  return `${n.toString(16).padStart(16, "0")}-EMU`;
}

/** A gateway log id shaped like Cloudflare's (26 upper-case Crockford base-32 characters). */
function logId(n: number): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let out = "";
  let v = n;
  for (let i = 0; i < 26; i++) {
    out = alphabet[v % 32] + out;
    v = Math.floor(v / 32);
  }
  return `01${out.slice(2)}`;
}

/** Wraps an emulator's handler so that each answer carries its request ids. */
export function withRequestIds(
  handler: (request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  let count = 0;
  return async (request) => {
    const response = await handler(request);
    const n = ++count;
    const headers = new Headers(response.headers);
    headers.set("cf-ray", rayId(n));
    if (new URL(request.url).pathname.includes("/workers-ai/")) {
      headers.set("cf-aig-log-id", logId(n));
      if (!headers.has("cf-aig-cache-status")) headers.set("cf-aig-cache-status", "MISS");
    }
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
