/**
 * How a model is named in the Developer UI: one prefix for every action, and
 * one short name for an id the built-in catalog does not know, whether or not
 * the account's model search has spoken of it.
 *
 * @module
 */

/** The prefix of every action label. */
const PREFIX = "Cloudflare Workers AI - ";

/** The label an action shows: `"Cloudflare Workers AI - Llama 3.1 8B Instruct"`. */
export function displayLabel(name: string): string {
  return `${PREFIX}${name}`;
}

/** The short name of an id the catalog does not know: the id without `@cf/` or `@hf/`. */
export function workersLabel(id: string): string {
  return id.replace(/^@(cf|hf)\//, "");
}
