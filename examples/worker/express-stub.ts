/**
 * Stands in for `express` in the Workers bundle. Genkit imports it only for
 * the Developer UI's reflection server, which never starts in a Worker
 * (`sandboxedRuntime: true`); wrangler.toml aliases `express` to this file.
 *
 * @module
 */
export default function express(): never {
  throw new Error("express is not available in Cloudflare Workers");
}
