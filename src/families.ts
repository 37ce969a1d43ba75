/**
 * The task-family registry: every family in one list, the one lookup that
 * says which family serves a model id as an action of a given type, and the
 * config type a model reference takes from its id. The plugin loops over
 * this module for `init`, `resolve`, `list` and the reference helpers, and
 * names no family itself.
 *
 * Adding a family is its folder (catalog, config, translation, `family.ts`
 * exporting a {@link TaskFamily}), one line in {@link FAMILIES} (and one in
 * {@link ModelConfigFor} for a family of Genkit models), its exports, its
 * emulator task, a test file, an example and a docs page.
 *
 * @module
 */
import type { CaptionModelId } from "./caption/catalog.ts";
import type { ClefModelId } from "./clef/catalog.ts";
import type { ClefConfig } from "./clef/config.ts";
import { clefFamily } from "./clef/family.ts";
import type { CaptionConfig } from "./caption/config.ts";
import { captionFamily } from "./caption/family.ts";
import type { ClassifyModelId } from "./classify/catalog.ts";
import type { ClassifyConfig } from "./classify/config.ts";
import { classifyFamily } from "./classify/family.ts";
import type { DetectModelId } from "./detect/catalog.ts";
import type { DetectConfig } from "./detect/config.ts";
import { detectFamily } from "./detect/family.ts";
import { embedFamily } from "./embed/family.ts";
import type { ImageModelId } from "./image/catalog.ts";
import type { ImageConfig } from "./image/config.ts";
import { imageFamily } from "./image/family.ts";
import type { LiveModel } from "./model_search.ts";
import type { RequestConfig } from "./request_config.ts";
import { rerankFamily } from "./rerank/family.ts";
import type { SpeechModelId } from "./speech/catalog.ts";
import type { SpeechConfig } from "./speech/config.ts";
import { speechFamily } from "./speech/family.ts";
import type { ActionKind, TaskFamily } from "./task_family.ts";
import type { TextModelId } from "./text/catalog.ts";
import type { TextConfig } from "./text/config.ts";
import { textFamily } from "./text/family.ts";
import type { TranscribeModelId } from "./transcribe/catalog.ts";
import type { TranscribeConfig } from "./transcribe/config.ts";
import { transcribeFamily } from "./transcribe/family.ts";
import type { TranslateModelId } from "./translate/catalog.ts";
import type { TranslateConfig } from "./translate/config.ts";
import { translateFamily } from "./translate/family.ts";
import type { TurnModelId } from "./turn/catalog.ts";
import type { TurnConfig } from "./turn/config.ts";
import { turnFamily } from "./turn/family.ts";

/** Every task family, in the order their models are listed; each kind's first is its fallback. */
export const FAMILIES: readonly TaskFamily[] = [
  textFamily,
  embedFamily,
  rerankFamily,
  imageFamily,
  transcribeFamily,
  speechFamily,
  translateFamily,
  classifyFamily,
  detectFamily,
  captionFamily,
  turnFamily,
  clefFamily,
];

/**
 * The config a model reference takes, from its id: a catalog model takes its
 * family's config (one line per family below), any other id the text config,
 * since text generation is what an unknown id falls back to.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ModelConfigFor, type TextConfig } from "@x/cloudflare-ai";
 *
 * const config: ModelConfigFor<"@cf/qwen/qwen3-30b-a3b-fp8"> = { temperature: 0.6 };
 * const same: TextConfig = config;
 * const qwen = cloudflareAI.model("@cf/qwen/qwen3-30b-a3b-fp8", same);
 * ```
 */
export type ModelConfigFor<Id extends string> =
  & RequestConfig
  & (
    // One line per family of Genkit models: its catalog ids take its config.
    Id extends TextModelId ? TextConfig
      : Id extends ImageModelId ? ImageConfig
      : Id extends TranscribeModelId ? TranscribeConfig
      : Id extends SpeechModelId ? SpeechConfig
      : Id extends TranslateModelId ? TranslateConfig
      : Id extends ClassifyModelId ? ClassifyConfig
      : Id extends DetectModelId ? DetectConfig
      : Id extends CaptionModelId ? CaptionConfig
      : Id extends TurnModelId ? TurnConfig
      : Id extends ClefModelId ? ClefConfig
      : TextConfig
  );

/** What is known of an id besides the catalog: its model-search entry, a task the caller named. */
export interface IdHints {
  /** What the account's model search reported for it. */
  live?: LiveModel;
  /** A Workers AI task the caller named for it. */
  task?: string;
}

/** The answer of {@link lookup}: the families that serve an id, or why none does. */
export interface Served {
  /** The families, in registry order (several for an id one catalog lists twice: bge-m3). */
  families: readonly TaskFamily[];
  /** Why there are none: the id is another kind's, or its task is one no family serves. */
  refusal?: { kind: "other-kind" } | { kind: "unserved-task"; task: string };
}

/**
 * The one answer to "which family serves `id` as an action of `kind`"
 * (`"any"`: of any kind, as `init` and `list` ask), in this order:
 *
 * 1. the families whose catalog knows the id (none of `kind`: it is another
 *    kind's model, and no family serves it as this kind);
 * 2. the task the account's model search reported for it;
 * 3. the task the caller named for it (`options.tasks`, or a reference
 *    made by the plugin instance);
 * 4. the kind's fallback: text generation for models (and for `"any"`),
 *    embeddings for embedders, reranking for rerankers.
 *
 * A task no family (of this kind) serves is refused, not passed to the fallback.
 */
export function lookup(kind: ActionKind | "any", id: string, hints: IdHints = {}): Served {
  const ofKind = (f: TaskFamily) => kind === "any" || f.actionType === kind;
  const knowing = FAMILIES.filter((f) => f.known(id));
  if (knowing.length > 0) {
    const families = knowing.filter(ofKind);
    return families.length > 0 ? { families } : { families, refusal: { kind: "other-kind" } };
  }
  const task = hints.live?.task || hints.task;
  if (task) {
    const families = FAMILIES.filter((f) => ofKind(f) && f.tasks.includes(task));
    return families.length > 0 ? { families } : {
      families,
      refusal: FAMILIES.some((f) => f.tasks.includes(task))
        ? { kind: "other-kind" }
        : { kind: "unserved-task", task },
    };
  }
  return { families: [FAMILIES.find((f) => kind === "any" || f.actionType === kind)!] };
}

/** The first family of `kind`, for messages about ids that are not of that kind. */
export function firstOfKind(kind: ActionKind): TaskFamily {
  return FAMILIES.find((f) => f.actionType === kind)!;
}
