/**
 * Embedding config: the options an embedding model takes (pooling,
 * truncation, qwen3's query/document split), their schema per model, and
 * the checks that run before any request.
 *
 * @module
 */
import { z } from "genkit";
import { checkBoolean, invalidArgument as invalid } from "../errors.ts";
import type { EmbedderInfo, ZodSchema } from "../refs.ts";
import type { EmbedderSpec } from "./catalog.ts";

const embedConfigSchema = z.object({
  pooling: z.enum(["mean", "cls"])
    .describe(
      "bge-*-en-v1.5 only: mean (default) or cls pooling. cls vectors are not comparable " +
        "with mean vectors.",
    )
    .optional(),
  inputType: z.enum(["query", "document"])
    .describe("qwen3-embedding only: embed the texts as queries or as documents (default).")
    .optional(),
  instruction: z.string().min(1)
    .describe("qwen3-embedding only, with inputType query: the task the queries serve.")
    .optional(),
  truncateInputs: z.boolean()
    .describe("bge-m3 only: truncate texts longer than the model's context instead of failing.")
    .optional(),
});

/**
 * Config of Workers AI embedders. Each option applies to the models named in
 * its description; any other model refuses it with `INVALID_ARGUMENT`.
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
   * bge-small/base/large-en-v1.5 only: `mean` (the model's default) or `cls`.
   * `cls` embeds long inputs more accurately, but its vectors cannot be
   * compared with `mean` vectors: use one pooling for an index and its queries.
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
  /** bge-m3 only: truncate texts longer than the model's context instead of failing. */
  truncateInputs?: boolean;
  /** Unused by Workers AI (Genkit passes a reference's version along). */
  version?: string;
}

/**
 * Config schema of Workers AI embedders; each model's own schema keeps only
 * the options it takes.
 *
 * @example
 * ```ts
 * import { EmbedConfigSchema } from "@x/cloudflare-ai";
 * EmbedConfigSchema.parse({ pooling: "cls" });
 * ```
 */
export const EmbedConfigSchema: ZodSchema = embedConfigSchema;

type EmbedOption = Exclude<keyof EmbedConfig, "version">;

/** The options a model takes. */
function optionsOf(spec: EmbedderSpec): EmbedOption[] {
  const out: EmbedOption[] = [];
  if (spec.pooling) out.push("pooling");
  if (spec.fields === "queries-documents") out.push("inputType", "instruction");
  if (spec.truncateInputs) out.push("truncateInputs");
  return out;
}

const schemaCache = new WeakMap<EmbedderSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the options it takes. */
export function embedConfigSchemaFor(spec: EmbedderSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (!schema) {
    const keep = Object.fromEntries(optionsOf(spec).map((k) => [k, true])) as Partial<
      Record<EmbedOption, true>
    >;
    schema = embedConfigSchema.pick(keep).strict();
    schemaCache.set(spec, schema);
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

function takesNone(spec: EmbedderSpec): string {
  const options = optionsOf(spec);
  return options.length === 0
    ? "it takes no config options"
    : `it takes only ${options.join(", ")}`;
}

/**
 * Checks an embed call's options against what the model takes (Genkit does
 * not validate them) and returns them typed.
 */
export function validateEmbedConfig(spec: EmbedderSpec, options: unknown): EmbedConfig {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw invalid(`The embed options for ${spec.id} must be an object.`);
  }
  const c = options as Record<string, unknown>;
  const taken = new Set<string>(optionsOf(spec));
  for (const [key, value] of Object.entries(c)) {
    // ai.embed() always passes `version` (usually undefined) from the reference.
    if (value === undefined || key === "version") continue;
    if (!taken.has(key)) {
      throw invalid(
        `config.${key} is not supported by ${spec.id}: ${takesNone(spec)}. Remove it` +
          (key === "pooling" ? ", or use a bge-*-en-v1.5 model, which takes pooling." : "."),
      );
    }
  }
  if (c.pooling !== undefined && c.pooling !== "mean" && c.pooling !== "cls") {
    throw invalid(
      `config.pooling for ${spec.id} must be "mean" or "cls", got ${JSON.stringify(c.pooling)}.`,
    );
  }
  if (c.inputType !== undefined && c.inputType !== "query" && c.inputType !== "document") {
    throw invalid(
      `config.inputType for ${spec.id} must be "query" or "document", got ${
        JSON.stringify(c.inputType)
      }.`,
    );
  }
  if (c.instruction !== undefined) {
    if (typeof c.instruction !== "string" || c.instruction === "") {
      throw invalid(`config.instruction for ${spec.id} must be a non-empty string.`);
    }
    // Qwen3-Embedding puts the instruction before queries only; documents are
    // embedded without one, so an instruction there would be silently unused.
    if (c.inputType !== "query") {
      throw invalid(
        `config.instruction for ${spec.id} applies to queries only: set inputType: "query" ` +
          "to embed the texts as queries, or remove the instruction.",
      );
    }
  }
  checkBoolean(spec.id, "truncateInputs", c.truncateInputs);
  return c as EmbedConfig;
}
