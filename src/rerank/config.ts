/**
 * Rerank config: each reranker's option table (`wire_options.ts`), made from
 * its published parameters (`top_k`, `truncate_inputs`), with `topK` kept by
 * the plugin itself for a model that publishes no `top_k`. From the one table
 * come the schema the Developer UI shows and the check that runs before any
 * request.
 *
 * @module
 */
import { z } from "genkit";
import { embedParams } from "../embed/catalog.ts";
import { publishedModel } from "../definitions/mod.ts";
import type { RerankerInfo, ZodSchema } from "../refs.ts";
import {
  configObject,
  fromPublished,
  type OptionName,
  optionsSchema,
  type WireOption,
  wireValues,
} from "../wire_options.ts";
import { RERANKER_MODELS, type RerankerSpec } from "./catalog.ts";

/**
 * Config of Workers AI rerankers, passed as the `options` of `ai.rerank()`.
 *
 * @example
 * ```ts
 * import { Document, genkit } from "genkit";
 * import { cloudflareAI, type RerankConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const reranker = cloudflareAI.reranker("@cf/baai/bge-m3");
 * const documents = ["Ada Lovelace...", "Cats...", "Babbage..."].map((t) => Document.fromText(t));
 * const options: RerankConfig = { topK: 2, truncateInputs: true }; // bge-m3 keeps topK itself
 * const query = "Who wrote the first program?";
 * const best = await ai.rerank({ reranker, query, documents, options }); // two, best first
 * ```
 */
export interface RerankConfig {
  /**
   * Keep only the best `topK` documents (a whole number >= 1). Sent as
   * `top_k` to bge-reranker-base; applied by the plugin for bge-m3, which
   * publishes no `top_k`.
   * @default {every document}
   */
  topK?: number;
  /**
   * The rerankers whose published definition has `truncate_inputs` (bge-m3):
   * truncate texts longer than the model's context instead of failing.
   */
  truncateInputs?: boolean;
}

/** The published parameters rerankers take, by config key. */
const NAMES: readonly OptionName[] = [
  { key: "topK", wire: "top_k", description: "Keep only the best topK documents." },
  {
    key: "truncateInputs",
    wire: "truncate_inputs",
    description: "Truncate texts longer than the model's context instead of failing.",
  },
];

/** The model whose format an id with no published definition is given. */
const FALLBACK = "@cf/baai/bge-reranker-base";

/** A reranker's published parameters (bge-reranker-base's for an id with no definition). */
function paramsOf(spec: RerankerSpec) {
  return embedParams(publishedModel(spec.id) ? spec.id : FALLBACK);
}

/**
 * The plugin keeps the best `topK` itself for a model that publishes no
 * `top_k` (bge-m3): the documented fallback, with the range bge-reranker-base
 * publishes for its `top_k` (a whole number of at least 1).
 */
function localTopK(): WireOption {
  return {
    ...fromPublished(NAMES[0], embedParams(FALLBACK).top_k ?? { type: "integer", minimum: 1 }),
    description: "Keep only the best topK documents (applied by the plugin).",
  };
}

const tables = new WeakMap<RerankerSpec, readonly WireOption[]>();

/** The options a reranker takes: its published parameters, and `topK` always. */
export function rerankOptions(spec: RerankerSpec): readonly WireOption[] {
  let table = tables.get(spec);
  if (table) return table;
  const params = paramsOf(spec);
  const published = NAMES.flatMap((n) =>
    Object.hasOwn(params, n.wire) ? [fromPublished(n, params[n.wire])] : []
  );
  table = published.some((o) => o.key === "topK") ? published : [localTopK(), ...published];
  tables.set(spec, table);
  return table;
}

/** The zod type of an option, its type only; its range is in its description. */
function typeOnly(o: WireOption): z.ZodTypeAny {
  const base = o.kind === "boolean"
    ? z.boolean()
    : o.kind === "int" || o.kind === "number"
    ? z.number()
    : z.string();
  const range = o.min === undefined ? "" : ` (at least ${o.min})`;
  return base.describe(`${o.description}${range}`).optional();
}

/**
 * Config schema of Workers AI rerankers: every option some catalog reranker
 * takes (each model's own schema keeps only its own).
 *
 * @example
 * ```ts
 * import { RerankConfigSchema } from "@x/cloudflare-ai";
 * RerankConfigSchema.parse({ topK: 3 });
 * ```
 */
export const RerankConfigSchema: ZodSchema = (optionsSchema(
  RERANKER_MODELS.flatMap((m) => rerankOptions(m)).filter((o, i, all) =>
    all.findIndex((x) => x.key === o.key) === i
  ),
) as z.AnyZodObject).strip();

const schemas = new WeakMap<RerankerSpec, z.ZodTypeAny>();

/**
 * The config schema shown for one reranker: only the options of its table.
 * Genkit validates a reranker's options against this schema itself, with an
 * error that prints every document; so it checks types only and lets
 * {@link validateRerankConfig} refuse values out of range and unknown keys
 * with a short message, from the same table.
 */
export function rerankConfigSchemaFor(spec: RerankerSpec): z.ZodTypeAny {
  let schema = schemas.get(spec);
  if (!schema) {
    const options = rerankOptions(spec);
    schema = z.object(Object.fromEntries(options.map((o) => [o.key, typeOnly(o)]))).passthrough();
    schemas.set(spec, schema);
  }
  return schema;
}

/** What Genkit's Developer UI should know about a reranker. */
export function rerankerInfo(spec: RerankerSpec): RerankerInfo {
  return { label: `Cloudflare Workers AI - ${spec.label}`, supports: { media: false } };
}

/** For each option another catalog reranker takes and `spec` does not: the models that take it. */
function notesFor(spec: RerankerSpec): Record<string, string> {
  const own = rerankOptions(spec).map((o) => o.key);
  const notes: Record<string, string> = {
    k: `it takes ${own.join(", ")}; use topK to keep the best documents`,
    top_k: `it takes ${own.join(", ")}; use topK to keep the best documents`,
  };
  for (const m of RERANKER_MODELS) {
    for (const o of rerankOptions(m)) {
      if (own.includes(o.key)) continue;
      notes[o.key] = `it takes ${own.join(", ")}; ${o.key} is taken by ${m.id}`;
    }
  }
  return notes;
}

/**
 * Checks a rerank call's options against the model's table (Genkit does not
 * validate their values) and returns them typed.
 */
export function validateRerankConfig(spec: RerankerSpec, options: unknown): RerankConfig {
  const values = configObject(spec.id, options);
  wireValues(spec.id, rerankOptions(spec), values, notesFor(spec));
  return values as RerankConfig;
}

/** The body fields of checked options: the model's published parameters only. */
export function rerankWireFields(
  spec: RerankerSpec,
  config: RerankConfig,
): Record<string, unknown> {
  const wire = wireValues(spec.id, rerankOptions(spec), config as Record<string, unknown>);
  const params = paramsOf(spec);
  return Object.fromEntries(Object.entries(wire).filter(([name]) => Object.hasOwn(params, name)));
}
