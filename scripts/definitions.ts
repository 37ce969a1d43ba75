/**
 * Cloudflare's published model definitions: the snapshot in
 * `src/definitions/published/` (one file per model) and the modules generated
 * from it.
 *
 * ```sh
 * deno task definitions build     # published/*.json -> facts.ts, schemas.ts (+ cross-check)
 * deno task definitions refresh   # the live API -> published/*.json, then build; prints changes
 * deno run -A scripts/definitions.ts types <workers-types>/index.d.ts   # -> workers_types.ts
 * ```
 *
 * - `build` reads every `published/*.json` and writes `facts.ts` (the
 *   runtime's compact share) and `schemas.ts` (the full schemas, for the
 *   emulator and tests), then reports where the published scalar parameters
 *   and the `AiModels` types of `@cloudflare/workers-types` disagree.
 * - `refresh` needs `CLOUDFLARE_ACCOUNT_ID` and `CLOUDFLARE_API_TOKEN`: it
 *   reads every page of `/ai/models/search`, then `/ai/models/schema` for each
 *   model (base `CLOUDFLARE_API_BASE_URL`, default
 *   `https://api.cloudflare.com/client/v4`), writes one file per model (and
 *   removes the files of models no longer listed), rebuilds, and prints the
 *   models added and removed and the fields changed.
 * - `types` records which model ids a `@cloudflare/workers-types` release
 *   lists in `AiModels` and the fields of their input types
 *   (`workers_types.ts`), with the pinned TypeScript of npm-build/.
 *
 * `--out <dir>` names the definitions folder (default `src/definitions`):
 * `published/` in it is read and written, and so are the generated modules.
 *
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isWorkersAIModelId } from "../src/model_ids.ts";
import { definitionFromApi, modelFacts } from "../src/definitions/normalize.ts";
import type {
  JsonValue,
  PublishedDefinition,
  PublishedModel,
  TypesInput,
  TypesListing,
} from "../src/definitions/types.ts";
import { WORKERS_TYPES } from "../src/definitions/workers_types.ts";

/** The repository's definitions folder. */
export const DEFINITIONS_DIR: string = fileURLToPath(
  new URL("../src/definitions", import.meta.url),
);
/** Cloudflare's API, unless `CLOUDFLARE_API_BASE_URL` says otherwise. */
export const DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";
/** Models asked for per search page. */
const PER_PAGE = 100;
/** A bound on search pages, so that a misbehaving endpoint cannot loop forever. */
const MAX_PAGES = 50;
/** The line width of `deno fmt` in this repository. */
const WIDTH = 100;

// ---------------------------------------------------------------------------
// Reading the snapshot

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A published file and the definition it holds. */
export interface PublishedFile {
  /** The file name in `published/`. */
  file: string;
  /** Its definition. */
  definition: PublishedDefinition;
}

/**
 * Every published definition of `dir/published/*.json`, sorted by id, with
 * the file name each came from. When two files define the same id, the one
 * named after the id (the docs' rule) is kept, else the first by name, and
 * a warning says which was ignored.
 */
export async function readPublished(
  dir: string = DEFINITIONS_DIR,
): Promise<{ files: PublishedFile[]; warnings: string[] }> {
  const folder = join(dir, "published");
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(folder));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const names = entries.filter((e) => e.isFile && e.name.endsWith(".json")).map((e) => e.name)
    .sort(compare);
  const byId = new Map<string, PublishedFile>();
  const warnings: string[] = [];
  for (const name of names) {
    const text = await Deno.readTextFile(join(folder, name));
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new Error(`published/${name} is not JSON: ${(e as Error).message}`);
    }
    const definition = checkDefinition(raw, name);
    const other = byId.get(definition.id);
    if (other) {
      const named = `${definition.id.split("/").pop()}.json`;
      const [kept, ignored] = name === named ? [name, other.file] : [other.file, name];
      warnings.push(
        `warning: published/${kept} and published/${ignored} both define ${definition.id}; ` +
          `published/${ignored} is ignored`,
      );
      if (kept === other.file) continue;
    }
    byId.set(definition.id, { file: name, definition });
  }
  const files = [...byId.values()].sort((a, b) => compare(a.definition.id, b.definition.id));
  return { files, warnings };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A parsed file as a definition, or an error naming the file and what is missing. */
function checkDefinition(raw: unknown, file: string): PublishedDefinition {
  const fail = (what: string) => new Error(`published/${file}: ${what}`);
  if (!isObject(raw)) throw fail("not a JSON object");
  if (typeof raw.id !== "string" || !isWorkersAIModelId(raw.id)) throw fail("no valid `id`");
  if (typeof raw.task !== "string" || !raw.task) throw fail("no `task`");
  if (!isObject(raw.source) || typeof raw.source.retrieved !== "string") {
    throw fail("no `source.retrieved`");
  }
  if (raw.properties !== undefined && !isObject(raw.properties)) {
    throw fail("`properties` is not an object");
  }
  const schema = isObject(raw.schema) ? raw.schema : {};
  return {
    id: raw.id,
    task: raw.task,
    source: raw.source as unknown as PublishedDefinition["source"],
    properties: (raw.properties ?? {}) as Record<string, JsonValue>,
    schema: {
      input: (schema.input === undefined ? {} : schema.input) as JsonValue,
      output: (schema.output === undefined ? {} : schema.output) as JsonValue,
    },
  };
}

// ---------------------------------------------------------------------------
// Generated modules

function isIdentifier(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
}

function keyText(key: string): string {
  if (key === "__proto__") throw new Error("a definition names a field `__proto__`");
  return isIdentifier(key) ? key : JSON.stringify(key);
}

/** `value` on one line, as `deno fmt` writes it, when that is possible. */
function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(", ")}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, v]) => `${keyText(k)}: ${oneLine(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

/**
 * `value` as a TypeScript literal that `deno fmt` leaves as it is: on one
 * line when it fits in the line width from column `column` (plus the comma
 * or semicolon after it), else one entry per line with trailing commas.
 */
function literal(value: unknown, indent: string, column: number): string {
  const flat = oneLine(value);
  if (
    (!Array.isArray(value) && !isObject(value)) || column + flat.length + 1 <= WIDTH ||
    flat === "[]" || flat === "{}"
  ) {
    return flat;
  }
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    const items = value.map((v) => `${inner}${literal(v, inner, inner.length)},\n`);
    return `[\n${items.join("")}${indent}]`;
  }
  const lines = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const key = keyText(k);
      const column = inner.length + key.length + 2;
      if (!Array.isArray(v) && !isObject(v) && column + oneLine(v).length + 1 > WIDTH) {
        // A value too long for the key's line goes on the next one, as `deno fmt` puts it.
        return `${inner}${key}:\n${inner}  ${oneLine(v)},\n`;
      }
      return `${inner}${key}: ${literal(v, inner, column)},\n`;
    });
  return `{\n${lines.join("")}${indent}}`;
}

/** `export const NAME: TYPE = <value>;` */
function constant(name: string, type: string, value: unknown): string {
  const head = `export const ${name}: ${type} = `;
  return `${head}${literal(value, "", head.length)};\n`;
}

const GENERATED = "// Generated by scripts/definitions.ts: do not edit.";

/**
 * The text of `facts.ts`: the runtime facts of every definition, by id.
 * `listing` says which ids the `@cloudflare/workers-types` release lists.
 */
export function renderFacts(
  definitions: readonly PublishedDefinition[],
  listing: TypesListing = WORKERS_TYPES,
): string {
  const sorted = [...definitions].sort((a, b) => compare(a.id, b.id));
  const facts: Record<string, PublishedModel> = {};
  for (const d of sorted) facts[d.id] = modelFacts(d, Object.hasOwn(listing.models, d.id));
  const listed = sorted.filter((d) => Object.hasOwn(listing.models, d.id)).length;
  return [
    GENERATED,
    "// Rebuild: `deno task definitions build` (from published/*.json).",
    "",
    "/**",
    ` * Cloudflare's published model definitions (${sorted.length} models), reduced to the facts`,
    " * the runtime reads: task, properties, input fields, variants and scalar parameters.",
    ` * ${listed} of the ids are in the \`AiModels\` interface of ${listing.package} ${
      listing.version || "(none read)"
    }.`,
    " *",
    " * @module",
    " */",
    'import type { PublishedModel } from "./types.ts";',
    "",
    "/**",
    " * The published facts of every model of the snapshot, by model id.",
    " *",
    " * @example",
    " * ```ts",
    ' * import { PUBLISHED } from "./facts.ts";',
    " *",
    ' * console.log(PUBLISHED["@cf/meta/llama-3.1-8b-instruct-fast"]?.params.temperature);',
    " * ```",
    " */",
    constant("PUBLISHED", "Readonly<Record<string, PublishedModel>>", facts),
  ].join("\n");
}

/** The text of `schemas.ts`: every definition's task, schemas and source, by id. */
export function renderSchemas(definitions: readonly PublishedDefinition[]): string {
  const sorted = [...definitions].sort((a, b) => compare(a.id, b.id));
  const schemas: Record<string, unknown> = {};
  for (const d of sorted) {
    schemas[d.id] = {
      task: d.task,
      input: d.schema.input,
      output: d.schema.output,
      source: d.source,
    };
  }
  return [
    GENERATED,
    "// Rebuild: `deno task definitions build` (from published/*.json).",
    "",
    "/**",
    ` * Cloudflare's published input and output JSON Schemas (${sorted.length} models), prose`,
    " * removed, with where and when each was read. For the emulator and tests: runtime code",
    " * reads `facts.ts` instead.",
    " *",
    " * @module",
    " */",
    'import type { PublishedSchemas } from "./types.ts";',
    "",
    "/**",
    " * Every published definition's task, input and output schemas and source, by model id.",
    " *",
    " * @example",
    " * ```ts",
    ' * import { PUBLISHED_SCHEMAS } from "./schemas.ts";',
    " *",
    ' * console.log(PUBLISHED_SCHEMAS["@cf/baai/bge-m3"]?.input);',
    " * ```",
    " */",
    constant("PUBLISHED_SCHEMAS", "Readonly<Record<string, PublishedSchemas>>", schemas),
  ].join("\n");
}

/** The text of `workers_types.ts`. */
export function renderTypesListing(listing: TypesListing): string {
  return [
    GENERATED,
    "// Rebuild: `deno run -A scripts/definitions.ts types <@cloudflare/workers-types>/index.d.ts`.",
    "",
    "/**",
    ` * The \`AiModels\` interface of ${listing.package} ${listing.version}`,
    ` * (${
      Object.keys(listing.models).length
    } model ids), reduced to the fields of each input type.`,
    " * Read by scripts/definitions.ts when it builds the snapshot; never by the runtime.",
    " *",
    " * @module",
    " */",
    'import type { TypesListing } from "./types.ts";',
    "",
    "/**",
    ` * Each model id of the \`AiModels\` interface of ${listing.package} ${listing.version},`,
    " * with the fields (and scalar fields) of each member of its input type.",
    " *",
    " * @example",
    " * ```ts",
    ' * import { WORKERS_TYPES } from "./workers_types.ts";',
    " *",
    ' * console.log(Object.hasOwn(WORKERS_TYPES.models, "@cf/baai/bge-m3"));',
    " * ```",
    " */",
    constant("WORKERS_TYPES", "TypesListing", listing),
  ].join("\n");
}

// ---------------------------------------------------------------------------
// Cross-check with @cloudflare/workers-types

/** At most 20 names, then how many more. */
function some(names: readonly string[]): string {
  const shown = names.slice(0, 20).join(", ");
  return names.length > 20 ? `${shown} and ${names.length - 20} more` : shown;
}

/**
 * Where the snapshot and a `@cloudflare/workers-types` release disagree:
 * ids the types list with no definition, and for each model with both, the
 * scalar input fields named by only one side (the types' members compared
 * are those of the variant the parameters come from).
 */
export function crossCheck(
  definitions: readonly PublishedDefinition[],
  listing: TypesListing = WORKERS_TYPES,
): string[] {
  if (!listing.version) return ["cross-check: no @cloudflare/workers-types listing recorded"];
  const lines: string[] = [];
  const byId = new Map(definitions.map((d) => [d.id, d]));
  const ids = Object.keys(listing.models).sort(compare);
  const missing = ids.filter((id) => !byId.has(id));
  const unlisted = [...byId.keys()].filter((id) => !Object.hasOwn(listing.models, id));
  lines.push(
    `cross-check with ${listing.package} ${listing.version}: ${ids.length} ids in AiModels, ` +
      `${ids.length - missing.length} with a published definition; ` +
      `${unlisted.length} definitions not in AiModels.`,
  );
  if (missing.length) lines.push(`  in AiModels, no published definition: ${some(missing)}`);
  if (unlisted.length) lines.push(`  published, not in AiModels: ${some(unlisted)}`);
  for (const id of ids) {
    const definition = byId.get(id);
    if (!definition) continue;
    const facts = modelFacts(definition, true);
    const params = Object.keys(facts.params);
    const members = listing.models[id];
    const key = facts.variants.some((v) => v.fields.includes("messages"))
      ? "messages"
      : facts.variants.some((v) => v.fields.includes("prompt"))
      ? "prompt"
      : undefined;
    // The members of the types' input that describe the same variant: the one
    // with the chat `messages` (or `prompt`), else those sharing a field with the definition.
    const chosen = members.filter((m) =>
      key ? m.fields.includes(key) : m.fields.some((f) => facts.inputFields.includes(f))
    );
    const scalars = new Set((chosen.length ? chosen : members).flatMap((m) => m.scalars));
    // A field the definition gives to another variant (a text model's `prompt`
    // and `raw`) is not compared with the parameters of this one.
    const source = key ? facts.variants.find((v) => v.fields.includes(key))!.fields : [];
    const elsewhere = (n: string) =>
      key !== undefined && facts.inputFields.includes(n) && !source.includes(n);
    const typesOnly = [...scalars].filter((n) => !params.includes(n) && !elsewhere(n))
      .sort(compare);
    const publishedOnly = params.filter((n) => !scalars.has(n)).sort(compare);
    if (typesOnly.length || publishedOnly.length) {
      const parts = [];
      if (typesOnly.length) parts.push(`scalar in the types only: ${typesOnly.join(", ")}`);
      if (publishedOnly.length) parts.push(`in the definition only: ${publishedOnly.join(", ")}`);
      lines.push(`  ${id}: ${parts.join("; ")}`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------
// build

/** Writes `facts.ts` and `schemas.ts` of `dir` from its published files; returns the report. */
export async function build(dir: string = DEFINITIONS_DIR): Promise<string[]> {
  const { files, warnings } = await readPublished(dir);
  const definitions = files.map((p) => p.definition);
  await Deno.writeTextFile(join(dir, "facts.ts"), renderFacts(definitions));
  await Deno.writeTextFile(join(dir, "schemas.ts"), renderSchemas(definitions));
  return [
    `build: ${definitions.length} published definitions -> facts.ts, schemas.ts`,
    ...warnings,
    ...crossCheck(definitions),
  ];
}

// ---------------------------------------------------------------------------
// refresh

/** One difference between the snapshot and the live API. */
export interface Change {
  /** The model id. */
  id: string;
  /** `added`, `removed`, or `changed` (one field). */
  kind: "added" | "removed" | "changed";
  /** The changed field's path, e.g. `properties.context_window`. */
  path?: string;
  /** The value before (`undefined`: absent). */
  before?: JsonValue;
  /** The value after (`undefined`: absent). */
  after?: JsonValue;
}

function isPrimitiveArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v === null || typeof v !== "object");
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return isIdentifier(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function diffValues(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string,
  out: { path: string; before?: JsonValue; after?: JsonValue }[],
): void {
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before)];
    for (const k of Object.keys(after)) if (!keys.includes(k)) keys.push(k);
    for (const k of keys) {
      diffValues(
        before[k] as JsonValue | undefined,
        after[k] as JsonValue | undefined,
        pathOf(path, k),
        out,
      );
    }
    return;
  }
  if (
    Array.isArray(before) && Array.isArray(after) && !isPrimitiveArray(before) &&
    !isPrimitiveArray(after)
  ) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      diffValues(before[i], after[i], pathOf(path, i), out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after });
}

/** The facts of a definition that a refresh compares (its source is not one). */
function comparable(d: PublishedDefinition): JsonValue {
  return { task: d.task, properties: d.properties, schema: d.schema } as unknown as JsonValue;
}

/**
 * The models added and removed, and every field changed, from `before` to
 * `after` (sources are not compared), ordered by model id.
 */
export function diffDefinitions(
  before: readonly PublishedDefinition[],
  after: readonly PublishedDefinition[],
): Change[] {
  const old = new Map(before.map((d) => [d.id, d]));
  const now = new Map(after.map((d) => [d.id, d]));
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort(compare);
  const changes: Change[] = [];
  for (const id of ids) {
    const a = old.get(id);
    const b = now.get(id);
    if (!a) changes.push({ id, kind: "added" });
    else if (!b) changes.push({ id, kind: "removed" });
    else {
      const fields: { path: string; before?: JsonValue; after?: JsonValue }[] = [];
      diffValues(comparable(a), comparable(b), "", fields);
      for (const f of fields) {
        changes.push({ id, kind: "changed", path: f.path.replace(/^\./, ""), ...valuesOf(f) });
      }
    }
  }
  return changes;
}

function valuesOf(f: { before?: JsonValue; after?: JsonValue }): Partial<Change> {
  return {
    ...(f.before === undefined ? {} : { before: f.before }),
    ...(f.after === undefined ? {} : { after: f.after }),
  };
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Fields listed per changed model before the rest are counted. */
const MAX_FIELDS_SHOWN = 25;

/** The changes as lines: a summary, then one line per model added or removed or field changed. */
export function describeChanges(changes: readonly Change[], total: number): string[] {
  const added = changes.filter((c) => c.kind === "added");
  const removed = changes.filter((c) => c.kind === "removed");
  const changedIds = [...new Set(changes.filter((c) => c.kind === "changed").map((c) => c.id))];
  const lines = [
    `refresh: ${total} models listed; ${added.length} added, ${removed.length} removed, ` +
    `${changedIds.length} changed, ${total - added.length - changedIds.length} unchanged.`,
  ];
  for (const c of added) lines.push(`added: ${c.id}`);
  for (const c of removed) lines.push(`removed: ${c.id}`);
  for (const id of changedIds) {
    const fields = changes.filter((c) => c.kind === "changed" && c.id === id);
    for (const c of fields.slice(0, MAX_FIELDS_SHOWN)) {
      lines.push(`changed: ${id} ${c.path}: ${show(c.before)} -> ${show(c.after)}`);
    }
    if (fields.length > MAX_FIELDS_SHOWN) {
      lines.push(`changed: ${id} ... and ${fields.length - MAX_FIELDS_SHOWN} more fields`);
    }
  }
  return lines;
}

/** What `refresh` needs from the environment. */
export interface RefreshEnv {
  /** `CLOUDFLARE_ACCOUNT_ID`. */
  accountId?: string;
  /** `CLOUDFLARE_API_TOKEN`. */
  apiToken?: string;
  /** `CLOUDFLARE_API_BASE_URL`. */
  baseUrl?: string;
}

/** A failure of the refresh, its message free of the token. */
class RefreshError extends Error {}

/** GETs one API path and unwraps Cloudflare's envelope; a failure names what was asked. */
async function getResult(
  url: string,
  token: string,
  what: string,
): Promise<{ result: unknown; info: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
    });
  } catch (e) {
    throw new RefreshError(`${what}: the request failed (${(e as Error).message})`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RefreshError(`${what}: HTTP ${response.status}, not JSON`);
  }
  const envelope = isObject(body) ? body : {};
  if (!response.ok || envelope.success !== true) {
    const errors = Array.isArray(envelope.errors) ? envelope.errors : [];
    const detail = errors
      .filter(isObject)
      .map((e) => `${e.code ?? "?"} ${typeof e.message === "string" ? e.message : ""}`.trim())
      .join("; ");
    const hint = response.status === 401 || response.status === 403
      ? " (check that CLOUDFLARE_API_TOKEN may read Workers AI on this account)"
      : "";
    throw new RefreshError(
      `${what}: HTTP ${response.status}${detail ? `, Cloudflare says: ${detail}` : ""}${hint}`,
    );
  }
  return {
    result: envelope.result,
    info: isObject(envelope.result_info) ? envelope.result_info : {},
  };
}

/** Every model of the account's model search (every page), by id, in the order served. */
async function searchModels(base: string, token: string): Promise<unknown[]> {
  const models: unknown[] = [];
  let fetched = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { result, info } = await getResult(
      `${base}/ai/models/search?per_page=${PER_PAGE}&page=${page}`,
      token,
      `model search, page ${page}`,
    );
    const list = Array.isArray(result) ? result : [];
    models.push(...list);
    fetched += list.length;
    const total = typeof info.total_count === "number" ? info.total_count : undefined;
    const perPage = typeof info.per_page === "number" ? info.per_page : PER_PAGE;
    if (list.length === 0 || (total !== undefined ? fetched >= total : list.length < perPage)) {
      return models;
    }
  }
  throw new RefreshError(`model search: more than ${MAX_PAGES} pages; stopped`);
}

/** A file name for a new model: its id's last part, or more of it when that is taken. */
function fileNameFor(id: string, taken: ReadonlySet<string>): string {
  const parts = id.split("/").slice(1);
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = `${parts.slice(i).join("-")}.json`;
    if (/^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/.test(name) && !taken.has(name)) return name;
  }
  throw new RefreshError(`no file name for ${id}`);
}

/**
 * Rebuilds the snapshot of `dir` from the live API and its generated modules;
 * returns the lines to print. Throws a {@link RefreshError} (free of the
 * token) when the API cannot be read: then nothing is written.
 */
export async function refresh(
  env: Required<Pick<RefreshEnv, "accountId" | "apiToken">> & RefreshEnv,
  dir: string = DEFINITIONS_DIR,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<string[]> {
  if (!/^[A-Za-z0-9_-]+$/.test(env.accountId)) {
    throw new RefreshError("CLOUDFLARE_ACCOUNT_ID is not an account id (letters and digits)");
  }
  const baseUrl = (env.baseUrl || DEFAULT_API_BASE).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/?#]+/.test(baseUrl)) {
    throw new RefreshError(`CLOUDFLARE_API_BASE_URL is not an http(s) URL: ${baseUrl}`);
  }
  const base = `${baseUrl}/accounts/${env.accountId}`;
  const listed = await searchModels(base, env.apiToken);
  const fresh: PublishedDefinition[] = [];
  const seen = new Set<string>();
  for (const model of listed) {
    const id = isObject(model) ? model.name : undefined;
    // An id from the network is as untrusted as one from a caller.
    if (!isWorkersAIModelId(id) || seen.has(id)) continue;
    seen.add(id);
    const { result } = await getResult(
      `${base}/ai/models/schema?model=${encodeURIComponent(id)}`,
      env.apiToken,
      `schema of ${id}`,
    );
    const definition = definitionFromApi(model, result, today);
    if (!definition) throw new RefreshError(`model search: ${id} has no task`);
    fresh.push(definition);
  }
  fresh.sort((a, b) => compare(a.id, b.id));

  const current = (await readPublished(dir)).files;
  const changes = diffDefinitions(current.map((c) => c.definition), fresh);
  const fileOf = new Map(current.map((c) => [c.definition.id, c.file]));
  const taken = new Set(current.map((c) => c.file));
  const folder = join(dir, "published");
  await Deno.mkdir(folder, { recursive: true });
  const changed = new Set(changes.map((c) => c.id));
  let resourced = 0;
  for (const definition of fresh) {
    const before = current.find((c) => c.definition.id === definition.id)?.definition;
    if (before && !changed.has(definition.id)) {
      // An unchanged model keeps its file, unless it was read elsewhere than the API.
      if (before.source.api === definition.source.api) continue;
      resourced++;
    }
    let file = fileOf.get(definition.id);
    if (!file) {
      file = fileNameFor(definition.id, taken);
      taken.add(file);
    }
    await Deno.writeTextFile(join(folder, file), JSON.stringify(definition, null, 2) + "\n");
  }
  for (const c of changes.filter((c) => c.kind === "removed")) {
    await Deno.remove(join(folder, fileOf.get(c.id)!));
  }
  const report = describeChanges(changes, fresh.length);
  if (resourced) {
    report.push(
      `refresh: ${resourced} unchanged definitions now name the live API as their source.`,
    );
  }
  return [...report, ...await build(dir)];
}

// ---------------------------------------------------------------------------
// types

/** The parts of TypeScript's API this script uses. */
interface TsType {
  flags: number;
  isUnion(): boolean;
  types?: TsType[];
}
interface TsSymbol {
  name: string;
}
interface TsChecker {
  getSymbolsInScope(node: unknown, flags: number): TsSymbol[];
  getDeclaredTypeOfSymbol(symbol: TsSymbol): TsType;
  getPropertiesOfType(type: TsType): TsSymbol[];
  getPropertyOfType(type: TsType, name: string): TsSymbol | undefined;
  getTypeOfSymbol(symbol: TsSymbol): TsType;
  getNonNullableType(type: TsType): TsType;
}
interface TypeScriptApi {
  createProgram(
    roots: string[],
    options: Record<string, unknown>,
  ): {
    getTypeChecker(): TsChecker;
    getSourceFile(path: string): unknown;
  };
  ScriptTarget: Record<string, number>;
  SymbolFlags: Record<string, number>;
  TypeFlags: Record<string, number>;
}

/** Whether every constituent of `type` is a number, string or boolean (or a literal of one). */
function isScalarType(ts: TypeScriptApi, type: TsType): boolean {
  const members = type.isUnion() ? type.types ?? [] : [type];
  const scalar = ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike;
  return members.length > 0 && members.every((m) => (m.flags & scalar) !== 0);
}

/**
 * The `AiModels` interface of a `@cloudflare/workers-types` `index.d.ts`:
 * each id with the fields and scalar fields of each member of its `inputs`
 * type, read with the TypeScript pinned in npm-build/ (installed on first use).
 */
export async function readTypesListing(indexDts: string): Promise<TypesListing> {
  const { installTools, toolScript } = await import("./npm.ts");
  await installTools();
  const ts = createRequire(import.meta.url)(
    toolScript("typescript", "lib/typescript.js"),
  ) as TypeScriptApi;
  const manifest = JSON.parse(await Deno.readTextFile(join(dirname(indexDts), "package.json")));
  const program = ts.createProgram([indexDts], {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    types: [],
    noEmit: true,
    strict: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(indexDts);
  if (!file) throw new Error(`${indexDts} could not be read`);
  const symbol = checker.getSymbolsInScope(file, ts.SymbolFlags.Interface)
    .find((s) => s.name === "AiModels");
  if (!symbol) throw new Error(`${indexDts} declares no AiModels interface`);
  const models: Record<string, TypesInput[]> = {};
  const ids = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol));
  for (const id of [...ids].sort((a, b) => compare(a.name, b.name))) {
    const modelType = checker.getTypeOfSymbol(id);
    const inputs = checker.getPropertyOfType(modelType, "inputs");
    if (!inputs) {
      models[id.name] = [];
      continue;
    }
    const inputType = checker.getTypeOfSymbol(inputs);
    const objectish = ts.TypeFlags.Object | ts.TypeFlags.Intersection;
    // A primitive member (raw bytes as a string) has no fields.
    const members = (inputType.isUnion() ? inputType.types ?? [] : [inputType])
      .filter((m) => (m.flags & objectish) !== 0);
    models[id.name] = members.map((member) => {
      const props = checker.getPropertiesOfType(member);
      const fields = props.map((p) => p.name).sort(compare);
      const scalars = props
        .filter((p) => isScalarType(ts, checker.getNonNullableType(checker.getTypeOfSymbol(p))))
        .map((p) => p.name)
        .sort(compare);
      return { fields, scalars };
    }).filter((m) => m.fields.length > 0);
  }
  return { package: String(manifest.name), version: String(manifest.version), models };
}

// ---------------------------------------------------------------------------
// Command line

const USAGE = "usage: scripts/definitions.ts build | refresh | types <index.d.ts> [--out <dir>]";

/** Runs the command line `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let dir = DEFINITIONS_DIR;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") {
      const value = args[++i];
      if (!value) {
        console.error(USAGE);
        return 2;
      }
      dir = value;
    } else rest.push(args[i]);
  }
  const [command, ...operands] = rest;
  if (command === "build" && operands.length === 0) {
    for (const line of await build(dir)) console.log(line);
    return 0;
  }
  if (command === "types" && operands.length === 1) {
    const listing = await readTypesListing(operands[0]);
    await Deno.writeTextFile(join(dir, "workers_types.ts"), renderTypesListing(listing));
    console.log(
      `types: ${Object.keys(listing.models).length} ids of ${listing.package} ` +
        `${listing.version} -> workers_types.ts (run build next)`,
    );
    return 0;
  }
  if (command === "refresh" && operands.length === 0) {
    const accountId = Deno.env.get("CLOUDFLARE_ACCOUNT_ID") ?? "";
    const apiToken = Deno.env.get("CLOUDFLARE_API_TOKEN") ?? "";
    const missing = [
      ...(accountId ? [] : ["CLOUDFLARE_ACCOUNT_ID"]),
      ...(apiToken ? [] : ["CLOUDFLARE_API_TOKEN"]),
    ];
    if (missing.length) {
      console.error(
        `refresh: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set; set ${
          missing.length > 1 ? "them" : "it"
        } to read Cloudflare's model search.`,
      );
      return 1;
    }
    // Cloudflare's tokens are 40 characters: a shorter value is redacted only when long
    // enough not to erase ordinary words.
    const redact = (text: string) =>
      apiToken.length >= 8 ? text.replaceAll(apiToken, "[redacted]") : text;
    try {
      const lines = await refresh(
        { accountId, apiToken, baseUrl: Deno.env.get("CLOUDFLARE_API_BASE_URL") },
        dir,
      );
      for (const line of lines) console.log(redact(line));
      return 0;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const written = e instanceof RefreshError ? ", nothing written" : "";
      console.error(`refresh failed${written}: ${redact(message)}`);
      return 1;
    }
  }
  console.error(USAGE);
  return 2;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
