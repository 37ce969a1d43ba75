/**
 * Embedding config: each model's option table (`wire_options.ts`), made from
 * its published parameters (`pooling`, `instruction`, `truncate_inputs`)
 * plus the plugin's own `inputType` for models that embed queries and
 * documents apart. From the one table come the schema the Developer UI shows
 * and the check that runs before any request.
 *
 * @module
 */
import type { z } from "genkit";
import { invalidArgument as invalid } from "../errors.ts";
import type { EmbedderInfo, ZodSchema } from "../refs.ts";
import {
  configObject,
  fromPublished,
  type OptionName,
  optionsSchema,
  type WireOption,
  wireValues,
} from "../wire_options.ts";
import { type EmbedderSpec, EMBEDDING_MODELS, embedParams } from "./catalog.ts";

/**
 * Config of Workers AI embedders. Each option applies to the models whose
 * published definition has it; any other model refuses it with
 * `INVALID_ARGUMENT`, naming the models that take it.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type EmbedConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const embedder = cloudflareAI.embedder("@cf/qwen/qwen3-embedding-0.6b");
 * const options: EmbedConfig = { inputType: "query", instruction: "Find the biography asked for" };
 * const [{ embedding }] = await ai.embed({ embedder, content: "Who was Ada?", options });
 * const docs = await ai.embedMany({ embedder, content: ["Ada Lovelace was...", "Grace..."] });
 * ```
 */
export interface EmbedConfig {
  /**
   * The models whose published definition has `pooling` (bge-small/base/large-en-v1.5,
   * omni-bge-base-en-v1.5): `mean` (the published default) or `cls`. `cls`
   * embeds long inputs more accurately, but its vectors cannot be compared
   * with `mean` vectors: use one pooling for an index and its queries.
   */
  pooling?: "mean" | "cls";
  /**
   * qwen3-embedding only: whether the texts are search queries (sent as
   * `queries`, prefixed with the instruction) or documents to be found (sent
   * as `documents`).
   * @default {"document"}
   */
  inputType?: "query" | "document";
  /**
   * qwen3-embedding only, with `inputType: "query"`: the task the queries
   * serve. The model's default is "Given a web search query, retrieve relevant
   * passages that answer the query".
   */
  instruction?: string;
  /**
   * The models whose published definition has `truncate_inputs` (bge-m3):
   * truncate texts longer than the model's context instead of failing.
   */
  truncateInputs?: boolean;
  /** Unused by Workers AI (Genkit passes a reference's version along). */
  version?: string;
}

/** The published parameters embedders take, by config key. */
const NAMES: readonly OptionName[] = [
  {
    key: "pooling",
    wire: "pooling",
    description: "mean or cls pooling. cls vectors are not comparable with mean vectors.",
  },
  {
    key: "instruction",
    wire: "instruction",
    description: "With inputType query: the task the queries serve.",
  },
  {
    key: "truncateInputs",
    wire: "truncate_inputs",
    description: "Truncate texts longer than the model's context instead of failing.",
  },
];

/**
 * The plugin's own choice between a model's `queries` and `documents` fields
 * (it is no field itself): offered to the models whose input has both.
 */
const INPUT_TYPE: WireOption = {
  key: "inputType",
  wire: "inputType",
  kind: "enum",
  values: ["query", "document"],
  default: "document",
  description: "Embed the texts as search queries or as documents.",
};

const tables = new WeakMap<EmbedderSpec, readonly WireOption[]>();

/** The options a model takes: its published parameters, and `inputType` where it applies. */
export function embedOptions(spec: EmbedderSpec): readonly WireOption[] {
  let table = tables.get(spec);
  if (table) return table;
  const params = embedParams(spec.id);
  const published = NAMES.flatMap((n) =>
    Object.hasOwn(params, n.wire) ? [fromPublished(n, params[n.wire])] : []
  );
  const pooling = published.filter((o) => o.key === "pooling");
  table = [
    ...pooling,
    ...(spec.fields === "queries-documents" ? [INPUT_TYPE] : []),
    ...published.filter((o) => o.key !== "pooling"),
  ];
  tables.set(spec, table);
  return table;
}

/**
 * Config schema of Workers AI embedders: every option some catalog model
 * takes (each model's own schema keeps only its own, with its published
 * range).
 *
 * @example
 * ```ts
 * import { EmbedConfigSchema } from "@x/cloudflare-ai";
 * EmbedConfigSchema.parse({ pooling: "cls" });
 * ```
 */
export const EmbedConfigSchema: ZodSchema = (optionsSchema(
  [INPUT_TYPE, ...EMBEDDING_MODELS.flatMap((m) => embedOptions(m))].filter((o, i, all) =>
    all.findIndex((x) => x.key === o.key) === i
  ),
) as z.AnyZodObject).strip();

const schemas = new WeakMap<EmbedderSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the options it takes. */
export function embedConfigSchemaFor(spec: EmbedderSpec): z.ZodTypeAny {
  let schema = schemas.get(spec);
  if (!schema) {
    schema = optionsSchema(embedOptions(spec));
    schemas.set(spec, schema);
  }
  return schema;
}

/** What Genkit's Developer UI and retrievers should know about an embedder. */
export function embedderInfo(spec: EmbedderSpec): EmbedderInfo {
  const info: EmbedderInfo = {
    label: `Cloudflare Workers AI - ${spec.label}`,
    supports: { input: ["text"] },
  };
  if (spec.multilingual !== undefined) info.supports!.multilingual = spec.multilingual;
  if (spec.dimensions !== undefined) info.dimensions = spec.dimensions;
  return info;
}

/** For each option some catalog model takes and `spec` does not: the models that take it. */
function notesFor(spec: EmbedderSpec): Record<string, string> {
  const own = new Set(embedOptions(spec).map((o) => o.key));
  const takes = own.size === 0 ? "it takes no config options" : `it takes ${[...own].join(", ")}`;
  const byKey = new Map<string, string[]>();
  for (const m of EMBEDDING_MODELS) {
    for (const o of embedOptions(m)) {
      if (!own.has(o.key)) byKey.set(o.key, [...(byKey.get(o.key) ?? []), m.id]);
    }
  }
  return Object.fromEntries(
    [...byKey].map(([key, ids]) => [key, `${takes}; ${key} is taken by ${ids.join(", ")}`]),
  );
}

/**
 * Checks an embed call's options against the model's table (Genkit does not
 * validate them) and returns them typed: a key the model does not take or a
 * value out of its published range is refused with `INVALID_ARGUMENT`.
 */
export function validateEmbedConfig(spec: EmbedderSpec, options: unknown): EmbedConfig {
  const values = configObject(spec.id, options);
  wireValues(spec.id, embedOptions(spec), values, notesFor(spec));
  // Qwen3-Embedding puts the instruction before queries only; documents are
  // embedded without one, so an instruction there would be silently unused.
  if (values.instruction !== undefined && values.inputType !== "query") {
    throw invalid(
      `config.instruction for ${spec.id} applies to queries only: set inputType: "query" ` +
        "to embed the texts as queries, or remove the instruction.",
    );
  }
  return values as EmbedConfig;
}

/** The body fields of checked options: the published parameters only, by their wire names. */
export function embedWireFields(spec: EmbedderSpec, config: EmbedConfig): Record<string, unknown> {
  const wire = wireValues(spec.id, embedOptions(spec), config as Record<string, unknown>);
  delete wire[INPUT_TYPE.wire];
  return wire;
}
