/**
 * Workers AI model ids: the one grammar every id must match wherever it
 * enters the plugin, and the ids that were retired (of every task), each
 * with an active replacement.
 *
 * @module
 */
import { GenkitError } from "genkit";

/**
 * A model id that no longer answers (or never existed), and what to use instead.
 *
 * @example
 * ```ts
 * import { RETIRED_MODELS, type RetiredModel } from "@x/cloudflare-ai/models";
 *
 * function explain(m: RetiredModel): string {
 *   const why = m.retired ? `was retired on ${m.retired}` : "never existed";
 *   return `${m.id} ${why}: use ${m.replacement}${m.note ? ` (${m.note})` : ""}`;
 * }
 * RETIRED_MODELS.filter((m) => m.retired === "2026-05-30").forEach((m) => console.log(explain(m)));
 * ```
 */
export interface RetiredModel {
  /** The retired or unknown id. */
  id: string;
  /** Date of retirement (`YYYY-MM-DD`), or `undefined` for an id that never existed. */
  retired?: string;
  /** An active model to use instead. */
  replacement: string;
  /** A short explanation. */
  note?: string;
}

/** A catalog indexed by model id. */
export function byId<T extends { id: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((m) => [m.id, m]));
}

const LLAMA_31 = "@cf/meta/llama-3.1-8b-instruct-fast";
const LLAMA_33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const MISTRAL = "@cf/mistralai/mistral-small-3.1-24b-instruct";
const QWEN = "@cf/qwen/qwen3-30b-a3b-fp8";

function retiredBatch(
  date: string,
  entries: [string, string][],
): RetiredModel[] {
  return entries.map(([id, replacement]) => ({ id, retired: date, replacement }));
}

/**
 * Retired model ids and ids that never existed, each with an active replacement.
 *
 * @example
 * ```ts
 * import { RETIRED_MODELS } from "@x/cloudflare-ai/models";
 *
 * // Move model ids saved in settings to their active replacements.
 * const replacements = new Map(RETIRED_MODELS.map((m) => [m.id, m.replacement]));
 * const saved = "@cf/meta/llama-3-8b-instruct";
 * const current = replacements.get(saved) ?? saved; // "@cf/meta/llama-3.1-8b-instruct-fast"
 * ```
 */
export const RETIRED_MODELS: readonly RetiredModel[] = [
  {
    id: "@cf/mistral/mistral-7b-instruct-v0.2",
    replacement: MISTRAL,
    note: "no such model was ever published under @cf/ (its @hf/ twin was retired on 2026-05-30)",
  },
  {
    id: "@cf/facebook/bart-large-cnn",
    retired: "2026-05-30",
    replacement: LLAMA_31,
    note: "Workers AI has no summarization model left: ask a text-generation model to summarise",
  },
  {
    id: "@cf/moonshotai/kimi-k2.5",
    retired: "2026-05-30",
    replacement: "@cf/moonshotai/kimi-k2.6",
    note: "Cloudflare silently serves kimi-k2.6, at a higher price, under this id",
  },
  ...retiredBatch("2026-05-30", [
    ["@hf/mistral/mistral-7b-instruct-v0.2", MISTRAL],
    ["@hf/google/gemma-7b-it", "@cf/google/gemma-4-26b-a4b-it"],
    ["@hf/nousresearch/hermes-2-pro-mistral-7b", LLAMA_33],
    ["@hf/meta-llama/meta-llama-3-8b-instruct", LLAMA_31],
    ["@cf/meta/llama-3-8b-instruct", LLAMA_31],
    ["@cf/meta/llama-3-8b-instruct-awq", LLAMA_31],
    ["@cf/meta/llama-3.1-8b-instruct", LLAMA_31],
    ["@cf/meta/llama-3.1-8b-instruct-awq", LLAMA_31],
    ["@cf/meta/llama-3.1-70b-instruct", LLAMA_33],
    ["@cf/meta/llama-2-7b-chat-int8", LLAMA_31],
    ["@cf/meta/llama-2-7b-chat-fp16", LLAMA_31],
    ["@cf/mistral/mistral-7b-instruct-v0.1", MISTRAL],
    ["@cf/microsoft/phi-2", "@cf/meta/llama-3.2-3b-instruct"],
    ["@cf/defog/sqlcoder-7b-2", "@cf/qwen/qwen2.5-coder-32b-instruct"],
    ["@cf/unum/uform-gen2-qwen-500m", "@cf/meta/llama-4-scout-17b-16e-instruct"],
    ["@cf/google/gemma-3-12b-it", "@cf/google/gemma-4-26b-a4b-it"],
  ]),
  ...retiredBatch("2025-10-01", [
    ["@hf/thebloke/zephyr-7b-beta-awq", LLAMA_31],
    ["@hf/thebloke/mistral-7b-instruct-v0.1-awq", MISTRAL],
    ["@hf/thebloke/llama-2-13b-chat-awq", LLAMA_31],
    ["@hf/thebloke/openhermes-2.5-mistral-7b-awq", MISTRAL],
    ["@hf/thebloke/neural-chat-7b-v3-1-awq", LLAMA_31],
    ["@hf/thebloke/llamaguard-7b-awq", "@cf/meta/llama-guard-3-8b"],
    ["@hf/thebloke/deepseek-coder-6.7b-base-awq", "@cf/qwen/qwen2.5-coder-32b-instruct"],
    ["@hf/thebloke/deepseek-coder-6.7b-instruct-awq", "@cf/qwen/qwen2.5-coder-32b-instruct"],
    ["@cf/deepseek-ai/deepseek-math-7b-instruct", "@cf/qwen/qwq-32b"],
    ["@cf/openchat/openchat-3.5-0106", LLAMA_31],
    ["@cf/tiiuae/falcon-7b-instruct", LLAMA_31],
    ["@cf/thebloke/discolm-german-7b-v1-awq", LLAMA_31],
    ["@cf/qwen/qwen1.5-0.5b-chat", QWEN],
    ["@cf/qwen/qwen1.5-1.8b-chat", QWEN],
    ["@cf/qwen/qwen1.5-7b-chat-awq", QWEN],
    ["@cf/qwen/qwen1.5-14b-chat-awq", QWEN],
    ["@cf/tinyllama/tinyllama-1.1b-chat-v1.0", "@cf/meta/llama-3.2-1b-instruct"],
    ["@hf/nexusflow/starling-lm-7b-beta", LLAMA_31],
    ["@cf/fblgit/una-cybertron-7b-v2-bf16", LLAMA_31],
  ]),
];

const RETIRED_BY_ID = byId(RETIRED_MODELS);

/** The retirement record of a retired or never-existing model id, or `undefined`. */
export function retiredModel(id: string): RetiredModel | undefined {
  return RETIRED_BY_ID.get(id);
}

/**
 * The model-id grammar: `@cf/` or `@hf/`, an author and a name, each opening
 * with a letter or digit and made of letters, digits, `.`, `_` and `-`. It
 * leaves no way to change a request's path or query: no `/` beyond the two,
 * no dot segments, no `%` escapes, no `?`, `#`, `\`, whitespace or control
 * characters. Every Workers AI id has this shape (`@cf/meta/llama-3.1-8b-instruct-fast`,
 * `@cf/ai4bharat/indictrans2-en-indic-1B`).
 */
const MODEL_ID = /^@(?:cf|hf)\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}\/[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Whether `id` is a well-formed Workers AI model id (see the grammar above). */
export function isWorkersAIModelId(id: unknown): id is string {
  return typeof id === "string" && MODEL_ID.test(id);
}

/**
 * Throws unless `id` is a usable Workers AI model id: `INVALID_ARGUMENT` for
 * a malformed id, `NOT_FOUND` (with an active replacement) for a retired one.
 *
 * @example
 * ```ts
 * import { GenkitError } from "genkit";
 * import { checkModelId } from "@x/cloudflare-ai";
 *
 * try {
 *   checkModelId("@cf/meta/llama-3.1-8b-instruct"); // retired on 2026-05-30
 * } catch (e) {
 *   if (!(e instanceof GenkitError)) throw e;
 *   console.log(e.status, e.detail.replacement); // NOT_FOUND @cf/meta/llama-3.1-8b-instruct-fast
 * }
 * ```
 */
export function checkModelId(id: string): void {
  if (!isWorkersAIModelId(id)) {
    // Quoted as JSON and cut short: the id may come from an app's own users.
    const raw: unknown = id;
    const shown = JSON.stringify(typeof raw === "string" ? raw.slice(0, 120) : raw);
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `${shown} is not a Workers AI model id. Ids are @cf/ or @hf/, an author and a ` +
        'name of letters, digits, ".", "_" and "-", e.g. "@cf/meta/llama-3.1-8b-instruct-fast".',
    });
  }
  const retired = retiredModel(id);
  if (retired) {
    const why = retired.retired
      ? `was retired by Cloudflare on ${retired.retired}`
      : "is not a Workers AI model";
    throw new GenkitError({
      status: "NOT_FOUND",
      message: `${id} ${why}${retired.note ? ` (${retired.note})` : ""}. ` +
        `Use ${retired.replacement} instead.`,
      detail: { model: id, replacement: retired.replacement },
    });
  }
}
