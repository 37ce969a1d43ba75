/**
 * `cloudflareAI()`: the Genkit plugin. It loops over the task-family
 * registry for `init`, `resolve`, `list` and the reference helpers; it names
 * no family and holds no wire-format logic of its own.
 *
 * @module
 */
import { type ActionMetadata, GenkitError } from "genkit";
import { logger } from "genkit/logging";
import type { ModelInfo } from "genkit/model";
import { type GenkitPluginV2, genkitPluginV2, type ResolvableAction } from "genkit/plugin";
import type { EmbedConfig } from "./embed/config.ts";
import type { ImageModelId } from "./image/catalog.ts";
import type { ImageConfig } from "./image/config.ts";
import { type ActionKind, FAMILIES, familyFor, isServedTask, type TaskFamily } from "./families.ts";
import { checkModelId, retiredModel } from "./model_ids.ts";
import { type LiveModel, ModelSearch } from "./model_search.ts";
import { type CloudflareAIOptions, settingsFrom } from "./options.ts";
import type { EmbedderRef, ModelRef, RerankerRef } from "./refs.ts";
import type { RerankConfig } from "./rerank/config.ts";
import type { SpeechModelId } from "./speech/catalog.ts";
import type { SpeechConfig } from "./speech/config.ts";
import type { TextModelId } from "./text/catalog.ts";
import type { TextConfig } from "./text/config.ts";
import type { TranscribeModelId } from "./transcribe/catalog.ts";
import type { TranscribeConfig } from "./transcribe/config.ts";
import type { TranslateModelId } from "./translate/catalog.ts";
import type { TranslateConfig } from "./translate/config.ts";
import type { ClassifyModelId } from "./classify/catalog.ts";
import type { ClassifyConfig } from "./classify/config.ts";
import type { DetectModelId } from "./detect/catalog.ts";
import type { DetectConfig } from "./detect/config.ts";
import type { CaptionModelId } from "./caption/catalog.ts";
import type { CaptionConfig } from "./caption/config.ts";
import type { TurnModelId } from "./turn/catalog.ts";
import type { TurnConfig } from "./turn/config.ts";

/**
 * The plugin's name, and the prefix of every action it defines.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, PLUGIN_NAME } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * // Actions are named "cloudflare-ai/<model id>", so a model can also be named by string.
 * const model = `${PLUGIN_NAME}/@cf/qwen/qwen3-30b-a3b-fp8`;
 * const { text } = await ai.generate({ model, prompt: "Name three prime numbers." });
 * ```
 */
export const PLUGIN_NAME = "cloudflare-ai";

export type { CloudflareAIOptions };

/**
 * The plugin object returned by {@link cloudflareAI}.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type CloudflareAIPlugin } from "@x/cloudflare-ai";
 *
 * // The app's one set-up of Workers AI, shared by every Genkit instance it makes.
 * export function workersAI(): CloudflareAIPlugin {
 *   return cloudflareAI({ maxRetries: 4, embedConcurrency: 8 });
 * }
 * const ai = genkit({ plugins: [workersAI()] });
 * ```
 */
export type CloudflareAIPlugin = GenkitPluginV2;

/**
 * {@link cloudflareAI}: the plugin factory with its reference helpers.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type CloudflareAI, cloudflareAI } from "@x/cloudflare-ai";
 *
 * const workersAI: CloudflareAI = cloudflareAI; // callable, with .model, .embedder, .reranker
 * const ai = genkit({
 *   plugins: [workersAI({ maxRetries: 4 })],
 *   model: workersAI.model("@cf/meta/llama-3.3-70b-instruct-fp8-fast", { temperature: 0.3 }),
 * });
 * ```
 */
export interface CloudflareAI {
  /** Creates the plugin. Throws at once when no credentials are configured. */
  (options?: CloudflareAIOptions): CloudflareAIPlugin;
  /**
   * A reference to a Workers AI model, for `genkit({ model })` or
   * `ai.generate({ model })`, with its capabilities (`info`) and config
   * schema; the config is typed from the id ({@link ModelConfigFor}). For an
   * id the built-in catalog does not know, `options.task` names its Workers
   * AI task. Throws `NOT_FOUND` for a retired model (naming its replacement)
   * and `INVALID_ARGUMENT` for a malformed id or one that is not a model
   * (an embedding model, a reranker).
   */
  model<Id extends string>(
    id: Id,
    config?: ModelConfigFor<Id>,
    options?: ModelRefOptions,
  ): ModelRef<ModelConfigFor<Id>>;
  /**
   * A reference to a Workers AI embedding model, for `ai.embed({ embedder })`
   * and `ai.embedMany({ embedder })`, with `info.dimensions` set for the
   * catalog's models. `config` applies to `ai.embed()`; Genkit's
   * `ai.embedMany()` ignores a reference's config, so pass it there as
   * `options`. Throws `INVALID_ARGUMENT` for an id that is not an embedding
   * model or for a config option the model does not take.
   *
   * @example
   * ```ts
   * import { genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const ai = genkit({ plugins: [cloudflareAI()] });
   * const embedder = cloudflareAI.embedder("@cf/baai/bge-base-en-v1.5"); // info.dimensions: 768
   * // All documents in one call: sent in batches of 100, in order.
   * const vectors = await ai.embedMany({ embedder, content: ["Ada", "Grace"] });
   * const [query] = await ai.embed({ embedder, content: "Who was Ada?", options: { pooling: "mean" } });
   * ```
   */
  embedder(id: string, config?: EmbedConfig): EmbedderRef<EmbedConfig>;
  /**
   * A reference to a Workers AI reranker (`@cf/baai/bge-reranker-base`, or
   * `@cf/baai/bge-m3` in its query + contexts mode), for
   * `ai.rerank({ reranker })`. Genkit's `ai.rerank()` does not read a
   * reference's config: pass it as the call's `options` (`options: ref.config`).
   * Throws `INVALID_ARGUMENT` for an id that is not a reranker or for a config
   * option the model does not take.
   *
   * @example
   * ```ts
   * import { Document, genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const ai = genkit({ plugins: [cloudflareAI()] });
   * const ranked = await ai.rerank({
   *   reranker: cloudflareAI.reranker("@cf/baai/bge-reranker-base"),
   *   query: "Who wrote the first program?",
   *   documents: [Document.fromText("Ada Lovelace...", { id: 1 }), Document.fromText("Cats...")],
   *   options: { topK: 1 },
   * });
   * console.log(ranked[0].score(), ranked[0].metadata.id); // best first; metadata kept
   * ```
   */
  reranker(id: string, config?: RerankConfig): RerankerRef<RerankConfig>;
}

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
    : TextConfig;

/**
 * Options of a model reference.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type ModelRefOptions } from "@x/cloudflare-ai";
 *
 * // A model the built-in catalog does not know yet: say what it does.
 * const options: ModelRefOptions = { task: "Text Generation" };
 * const model = cloudflareAI.model("@cf/acme/brand-new-9b", { temperature: 0.3 }, options);
 * const ai = genkit({ plugins: [cloudflareAI()], model });
 * ```
 */
export interface ModelRefOptions {
  /**
   * The Workers AI task of an id the built-in catalog does not know, as the
   * model search names it (`"Text Generation"`, …). It holds for that id in
   * every plugin instance of the process, after the catalog and the
   * account's model search, and before the text-generation fallback.
   */
  task?: string;
}

/** Tasks named on references, by id: see {@link ModelRefOptions.task}. */
const declaredTasks = new Map<string, string>();

type Stage = ModelInfo["stage"];

/** The stage of a model action; Genkit's `model()` takes none, so it is set on the metadata. */
function setStage(action: ResolvableAction, stage: Stage): void {
  const meta = action.__action.metadata as { model?: Record<string, unknown> } | undefined;
  if (meta?.model && stage) meta.model.stage = stage;
}

/** The same on listed metadata. */
function withStage(meta: ActionMetadata, stage: Stage): ActionMetadata {
  const model = (meta.metadata as { model?: Record<string, unknown> } | undefined)?.model;
  if (model && stage) model.stage = stage;
  return meta;
}

/** The stage the account's model search gives a model: a planned deprecation, or beta. */
function liveStage(m: { deprecationDate?: string; beta: boolean }): Stage | undefined {
  return m.deprecationDate ? "deprecated" : m.beta ? "unstable" : undefined;
}

const actionName = (id: string) => `${PLUGIN_NAME}/${id}`;

function wrongKind(id: string, kind: ActionKind): GenkitError {
  const family = FAMILIES.find((f) => f.actionType === kind)!;
  return new GenkitError({
    status: "INVALID_ARGUMENT",
    message: `${id} is not ${family.noun}. ${family.suggestion}`,
  });
}

function unservedTask(id: string, task: string): GenkitError {
  return new GenkitError({
    status: "UNIMPLEMENTED",
    message: `${id} is a ${task} model, a Workers AI task this plugin does not serve yet.`,
    detail: { model: id, task },
  });
}

function plugin(given?: CloudflareAIOptions): CloudflareAIPlugin {
  const settings = settingsFrom(given);
  const { context } = settings;
  const search = settings.binding ? undefined : new ModelSearch(settings.client);
  // Stages the model search reported, and the model actions built so far,
  // whose stage is set when a listing learns it.
  const stages = new Map<string, Stage>();
  const models = new Map<string, ResolvableAction[]>();

  const build = (family: TaskFamily, spec: { id: string }): ResolvableAction => {
    const action = family.define(spec, actionName(spec.id), context);
    if (family.actionType === "model") {
      setStage(action, stages.get(spec.id) ?? family.stage?.(spec));
      models.set(spec.id, [...(models.get(spec.id) ?? []), action]);
    }
    return action;
  };

  /** The actions an id starts as: one per family that knows it, else the fallback's. */
  const startActions = (id: string): ResolvableAction[] => {
    const knowing = FAMILIES.filter((f) => f.known(id));
    if (knowing.length > 0) return knowing.map((f) => build(f, f.known(id)!));
    const task = settings.tasks.get(id) ?? declaredTasks.get(id);
    const family = familyFor("model", id, { task });
    if (!family) throw task ? unservedTask(id, task) : wrongKind(id, "model");
    return [build(family, family.spec(id))];
  };

  const resolveUnknown = async (kind: ActionKind, id: string) => {
    const live = (await search?.models())?.get(id);
    const task = settings.tasks.get(id) ?? declaredTasks.get(id);
    const family = familyFor(kind, id, { live, task });
    if (!family) {
      const named = live?.task || task;
      if (named && !isServedTask(named)) throw unservedTask(id, named);
      return undefined;
    }
    if (live) {
      const stage = liveStage(live);
      if (stage) stages.set(id, stage);
    }
    return build(family, family.spec(id, live));
  };

  const builtInListing = (): ActionMetadata[] =>
    FAMILIES.flatMap((f) => f.catalog.map((spec) => f.metadata(spec, actionName(spec.id))));

  let unservedLogged = false;
  const liveListing = (live: ReadonlyMap<string, LiveModel>) => {
    const out: ActionMetadata[] = [];
    const unserved = new Set<string>();
    for (const m of live.values()) {
      if (retiredModel(m.id)) continue;
      const stage = liveStage(m);
      if (stage) {
        stages.set(m.id, stage);
        for (const action of models.get(m.id) ?? []) setStage(action, stage);
      }
      // Every family that knows the id lists it (bge-m3 embeds and reranks);
      // an id no family knows is listed by the family that serves its task.
      let families = FAMILIES.filter((f) => f.known(m.id));
      if (families.length === 0) families = FAMILIES.filter((f) => f.tasks.includes(m.task));
      if (families.length === 0) unserved.add(m.task || "(no task)");
      for (const f of families) {
        out.push(withStage(f.metadata(f.spec(m.id, m), actionName(m.id)), stage));
      }
    }
    if (unserved.size > 0 && !unservedLogged) {
      unservedLogged = true;
      logger.debug(
        `cloudflare-ai: not listing the account's models of tasks this plugin does not serve: ${
          [...unserved].sort().join(", ")
        }.`,
      );
    }
    return out;
  };

  return genkitPluginV2({
    name: PLUGIN_NAME,
    init(): ResolvableAction[] {
      const ids = settings.models ??
        [...new Set(FAMILIES.flatMap((f) => f.catalog.map((m) => m.id)))];
      return ids.flatMap(startActions);
    },
    resolve(
      actionType,
      name,
    ): ResolvableAction | undefined | Promise<ResolvableAction | undefined> {
      if (actionType !== "model" && actionType !== "embedder" && actionType !== "reranker") {
        return undefined;
      }
      checkModelId(name);
      const own = FAMILIES.find((f) => f.actionType === actionType && f.known(name));
      if (own) return build(own, own.known(name)!);
      // An id another kind's catalog knows is not an action of this kind.
      if (FAMILIES.some((f) => f.known(name))) return undefined;
      return resolveUnknown(actionType, name);
    },
    async list(): Promise<ActionMetadata[]> {
      // A binding has no model search over REST: list the built-in catalog.
      const live = await search?.models();
      return live ? liveListing(live) : builtInListing();
    },
  });
}

/** A reference of `kind` to `id`, from the family that serves it. */
function refFor(kind: ActionKind, id: string, config: unknown, task?: string): unknown {
  checkModelId(id);
  if (task !== undefined) {
    if (typeof task !== "string" || task === "") {
      throw new GenkitError({
        status: "INVALID_ARGUMENT",
        message: `The task of ${id} must be a Workers AI task name such as "Text Generation".`,
      });
    }
    declaredTasks.set(id, task);
  }
  const family = familyFor(kind, id, { task: task ?? declaredTasks.get(id) });
  if (!family) {
    const named = task ?? declaredTasks.get(id);
    throw named && !isServedTask(named) ? unservedTask(id, named) : wrongKind(id, kind);
  }
  return family.ref(family.known(id) ?? family.spec(id), actionName(id), config);
}

function model<Id extends string>(
  id: Id,
  config?: ModelConfigFor<Id>,
  options: ModelRefOptions = {},
): ModelRef<ModelConfigFor<Id>> {
  return refFor("model", id, config, options.task) as ModelRef<ModelConfigFor<Id>>;
}

function embedderRef(id: string, config?: EmbedConfig): EmbedderRef<EmbedConfig> {
  return refFor("embedder", id, config) as EmbedderRef<EmbedConfig>;
}

function rerankerRef(id: string, config?: RerankConfig): RerankerRef<RerankConfig> {
  return refFor("reranker", id, config) as RerankerRef<RerankConfig>;
}

/**
 * The Cloudflare Workers AI plugin for Genkit.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({
 *   plugins: [cloudflareAI()], // CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN
 *   model: cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast"),
 * });
 * const { text } = await ai.generate("Say hi to Ada in a friendly way!");
 * ```
 */
export const cloudflareAI: CloudflareAI = Object.assign(plugin, {
  model,
  embedder: embedderRef,
  reranker: rerankerRef,
});
