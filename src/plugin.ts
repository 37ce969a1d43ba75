/**
 * `cloudflareAI()`: the Genkit plugin. It loops over the task-family
 * registry for `init`, `resolve`, `list` and the reference helpers; it names
 * no family and holds no wire-format logic of its own.
 *
 * @module
 */
import { listFinetunes } from "./finetunes.ts";
import { type ActionMetadata, GenkitError } from "genkit";
import { logger } from "genkit/logging";
import { genkitPluginV2, type ResolvableAction } from "genkit/plugin";
import type { CloudflareAI, CloudflareAIPlugin, ModelRefOptions } from "./plugin_types.ts";
import {
  defineQueuedModel,
  QUEUE_PREFIX,
  queueActionName,
  queuedListing,
  queuedModelRef,
} from "./batch/background.ts";
import { embedBatch, generateBatch } from "./batch/kinds.ts";
import type { TextConfig } from "./text/config.ts";
import type { EmbedConfig } from "./embed/config.ts";
import { FAMILIES, firstOfKind, type IdHints, lookup, type ModelConfigFor } from "./families.ts";
import { checkModelId, retiredModel } from "./model_ids.ts";
import { setStage, withStage } from "./model_family.ts";
import { type LiveModel, ModelSearch } from "./model_search.ts";
import { type CloudflareAIOptions, settingsFrom } from "./options.ts";
import { aiSearchRetrieverRef } from "./aisearch/retriever.ts";
import { Retrieval } from "./vectorize/plugin.ts";
import { vectorizeIndexerRef, vectorizeRetrieverRef } from "./vectorize/refs.ts";
import type { EmbedderRef, ModelRef, RerankerRef } from "./refs.ts";
import type { RerankConfig } from "./rerank/config.ts";
import type { ActionKind, Stage, TaskFamily } from "./task_family.ts";

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

export type { ModelConfigFor };
export type {
  CloudflareAI,
  CloudflareAIAccount,
  CloudflareAIInstanceRefs,
  CloudflareAIPlugin,
  GenkitPlugin,
  ModelRefOptions,
} from "./plugin_types.ts";

/** The stage the account's model search gives a model: a planned deprecation, or beta. */
function liveStage(m: { deprecationDate?: string; beta: boolean }): Stage | undefined {
  return m.deprecationDate ? "deprecated" : m.beta ? "unstable" : undefined;
}

const actionName = (id: string) => `${PLUGIN_NAME}/${id}`;

/** The error for an id the lookup found no family for (see {@link lookup}). */
function refused(id: string, kind: ActionKind, served: ReturnType<typeof lookup>): GenkitError {
  if (served.refusal?.kind === "unserved-task") {
    const task = served.refusal.task;
    return new GenkitError({
      status: "UNIMPLEMENTED",
      message: `${id} is a ${task} model, a Workers AI task this plugin does not serve yet.`,
      detail: { model: id, task },
    });
  }
  const family = firstOfKind(kind);
  return new GenkitError({
    status: "INVALID_ARGUMENT",
    message: `${id} is not ${family.noun}. ${family.suggestion}`,
  });
}

/** A reference of `kind` to `id`, from the family the lookup finds with `hints`. */
function refFor(kind: ActionKind, id: string, config: unknown, hints: IdHints): unknown {
  checkModelId(id);
  const served = lookup(kind, id, hints);
  const family = served.families[0];
  if (!family) throw refused(id, kind, served);
  return family.ref(family.known(id) ?? family.spec(id), actionName(id), config);
}

/** A task named for an id, checked. */
function checkedTask(id: string, task: unknown): string {
  if (typeof task !== "string" || task === "") {
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `The task of ${id} must be a Workers AI task name such as "Text Generation".`,
    });
  }
  return task;
}

function plugin(given?: CloudflareAIOptions): CloudflareAIPlugin {
  const settings = settingsFrom(given);
  // Vectorize, AI Search and Markdown conversion, with this instance's client and bindings.
  const retrieval = new Retrieval(given ?? {}, settings.client, settings.context);
  const { context } = settings;
  const search = settings.binding ? undefined : new ModelSearch(settings.client);
  // Tasks named for ids by this instance: options.tasks, then references it made.
  const tasks = new Map(settings.tasks);
  // Stages the model search reported, and the model actions built so far,
  // whose stage is set when a listing learns it.
  const stages = new Map<string, Stage>();
  const models = new Map<string, ResolvableAction[]>();

  const build = (family: TaskFamily, spec: { id: string }): ResolvableAction => {
    const action = family.define(spec, actionName(spec.id), context);
    if (family.actionType === "model") {
      setStage(action, stages.get(spec.id));
      models.set(spec.id, [...(models.get(spec.id) ?? []), action]);
    }
    return action;
  };

  /** The actions of `kind` (`"any"` at start) an id becomes, given what is known of it. */
  const actionsFor = (kind: ActionKind | "any", id: string, live?: LiveModel) => {
    const served = lookup(kind, id, { live, task: tasks.get(id) });
    if (served.families.length === 0) {
      if (served.refusal?.kind === "unserved-task" || kind === "any") {
        throw refused(id, kind === "any" ? "model" : kind, served);
      }
      return [];
    }
    if (live) {
      const stage = liveStage(live);
      if (stage) stages.set(id, stage);
    }
    return served.families.map((f) => build(f, f.known(id) ?? f.spec(id, live)));
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
      const { families } = lookup("any", m.id, { live: m });
      if (families.length === 0) unserved.add(m.task || "(no task)");
      for (const f of families) {
        out.push(withStage(f.metadata(f.known(m.id) ?? f.spec(m.id, m), actionName(m.id)), stage));
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

  const instance = genkitPluginV2({
    name: PLUGIN_NAME,
    init(): ResolvableAction[] {
      const ids = settings.models ??
        [...new Set(FAMILIES.flatMap((f) => f.catalog.map((m) => m.id)))];
      return ids.flatMap((id) => actionsFor("any", id));
    },
    async resolve(actionType, name): Promise<ResolvableAction | undefined> {
      const retriever = retrieval.resolve(actionType, name);
      if (retriever) return retriever;
      // Background models are `cloudflare-ai/queue/<id>`: never a model action,
      // so that Genkit, which looks for a model first, goes on to them.
      if (name.startsWith(QUEUE_PREFIX)) {
        if (actionType !== "background-model") return undefined;
        const id = name.slice(QUEUE_PREFIX.length);
        checkModelId(id);
        return defineQueuedModel(id, queueActionName(PLUGIN_NAME, id), context);
      }
      if (actionType !== "model" && actionType !== "embedder" && actionType !== "reranker") {
        return undefined;
      }
      checkModelId(name);
      // The catalog answers without the model search; an unknown id asks it first.
      const known = FAMILIES.some((f) => f.known(name));
      const live = known ? undefined : (await search?.models())?.get(name);
      return actionsFor(actionType, name, live)[0];
    },
    async list(): Promise<ActionMetadata[]> {
      // A binding has no model search over REST: list the built-in catalog.
      const live = await search?.models();
      // The background models of the queue (`cloudflare-ai/queue/<id>`) come last.
      return [...(live ? liveListing(live) : builtInListing()), ...queuedListing(PLUGIN_NAME)];
    },
  });
  return Object.assign(instance, {
    toMarkdown: retrieval.toMarkdown.bind(retrieval),
    finetunes: () => listFinetunes(context.client, settings.binding),
    generateBatch: (request: Parameters<typeof generateBatch>[1]) =>
      generateBatch(context, request),
    embedBatch: (request: Parameters<typeof embedBatch>[1]) => embedBatch(context.client, request),
    modelRef<Id extends string>(
      id: Id,
      config?: ModelConfigFor<Id>,
      options: ModelRefOptions = {},
    ): ModelRef<ModelConfigFor<Id>> {
      checkModelId(id);
      if (options.task !== undefined) tasks.set(id, checkedTask(id, options.task));
      return refFor("model", id, config, { task: tasks.get(id) }) as ModelRef<
        ModelConfigFor<Id>
      >;
    },
  });
}

function model<Id extends string>(
  id: Id,
  config?: ModelConfigFor<Id>,
  ...rest: unknown[]
): ModelRef<ModelConfigFor<Id>> {
  if ((rest[0] as ModelRefOptions | undefined)?.task !== undefined) {
    // A static reference belongs to no plugin instance: a task named here would apply to none.
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `cloudflareAI.model("${id}") takes no task: name it on the plugin instance ` +
        "that serves the model, with cloudflareAI({ tasks: { [id]: task } }) or " +
        "cf.modelRef(id, config, { task }) where cf = cloudflareAI().",
    });
  }
  return refFor("model", id, config, {}) as ModelRef<ModelConfigFor<Id>>;
}

function embedderRef(id: string, config?: EmbedConfig): EmbedderRef<EmbedConfig> {
  return refFor("embedder", id, config, {}) as EmbedderRef<EmbedConfig>;
}

function rerankerRef(id: string, config?: RerankConfig): RerankerRef<RerankConfig> {
  return refFor("reranker", id, config, {}) as RerankerRef<RerankConfig>;
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
  vectorizeIndexer: vectorizeIndexerRef,
  vectorizeRetriever: vectorizeRetrieverRef,
  aiSearchRetriever: aiSearchRetrieverRef,
  model,
  backgroundModel: (id: string, config?: TextConfig) => {
    checkModelId(id);
    return queuedModelRef(id, queueActionName(PLUGIN_NAME, id), config);
  },
  queuedOperation: (id: string, requestId: string) => {
    checkModelId(id);
    return { action: `/background-model/${queueActionName(PLUGIN_NAME, id)}`, id: requestId };
  },
  embedder: embedderRef,
  reranker: rerankerRef,
});
