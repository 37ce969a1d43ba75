/**
 * The task-family contract and the one registry a family joins. The plugin
 * loops over {@link FAMILIES} for `init`, `resolve`, `list` and the reference
 * helpers, and names no family itself.
 *
 * Adding a family is its folder (catalog, config, translation, `family.ts`
 * exporting a {@link TaskFamily}), one line in {@link FAMILIES}, its exports in
 * `mod.ts`, its emulator task, a test file and an example.
 *
 * @module
 */
import type { ActionMetadata } from "genkit";
import type { ResolvableAction } from "genkit/plugin";
import { captionFamily } from "./caption/family.ts";
import { classifyFamily } from "./classify/family.ts";
import type { WorkersAIClient } from "./client/client.ts";
import { detectFamily } from "./detect/family.ts";
import type { DownloadPolicy } from "./downloads/policy.ts";
import { embedFamily } from "./embed/family.ts";
import { imageFamily } from "./image/family.ts";
import type { LiveModel } from "./model_search.ts";
import { rerankFamily } from "./rerank/family.ts";
import { speechFamily } from "./speech/family.ts";
import { textFamily } from "./text/family.ts";
import { transcribeFamily } from "./transcribe/family.ts";
import { translateFamily } from "./translate/family.ts";
import { turnFamily } from "./turn/family.ts";

/** The Genkit action types Workers AI models become. */
export type ActionKind = "model" | "embedder" | "reranker";

/** What a family's actions are built with: the plugin's client and settings. */
export interface FamilyContext {
  /** The client every request goes through. */
  client: WorkersAIClient;
  /** How remote media in prompts is downloaded. */
  downloads: DownloadPolicy;
  /** Requests one batched call keeps in flight. */
  concurrency: number;
}

/**
 * One Workers AI task family (text generation, embeddings, reranking, …):
 * everything about its task, behind the same few methods.
 */
export interface TaskFamily<Spec extends { id: string } = { id: string }> {
  /** Short name, e.g. `"text"`. */
  readonly name: string;
  /** The Genkit action type its models become. */
  readonly actionType: ActionKind;
  /** What its models are, for messages: `"an embedding model"`. */
  readonly noun: string;
  /** Which models to use instead, for messages about an id it does not serve. */
  readonly suggestion: string;
  /**
   * The Workers AI task names (the model search's `task.name`) whose models
   * this family serves when it does not know them by id.
   */
  readonly tasks: readonly string[];
  /** The models it knows by id. */
  readonly catalog: readonly Spec[];
  /** The catalog entry of an id, or `undefined`. */
  known(id: string): Spec | undefined;
  /**
   * The spec of an id this family serves: the catalog's entry, or, for an id
   * it does not know, one made from what the account's model search says of
   * it (when it said anything) with conservative settings otherwise.
   */
  spec(id: string, live?: LiveModel): Spec;
  /** The Genkit action `name` for a model. */
  define(spec: Spec, name: string, context: FamilyContext): ResolvableAction;
  /** What `list()` shows of a model: the metadata its action will have. */
  metadata(spec: Spec, name: string): ActionMetadata;
  /** The release stage of a model action, where the family knows one (beta models: `"unstable"`). */
  stage?(spec: Spec): "featured" | "stable" | "unstable" | "legacy" | "deprecated" | undefined;
  /** A reference to a model (`info` and config schema set), for `cloudflareAI.model()` and the like. */
  ref(spec: Spec, name: string, config?: unknown): unknown;
}

/** Every task family, in the order their models are listed. */
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
];

/** The family that serves Workers AI task `task` as actions of `kind`, if any. */
function byTask(kind: ActionKind, task: string): TaskFamily | undefined {
  return FAMILIES.find((f) => f.actionType === kind && f.tasks.includes(task));
}

/** Whether any family serves the Workers AI task `task`. */
export function isServedTask(task: string): boolean {
  return FAMILIES.some((f) => f.tasks.includes(task));
}

/** What is known of an id besides the catalog: its model-search entry, a task the caller named. */
export interface IdHints {
  /** What the account's model search reported for it. */
  live?: LiveModel;
  /** A Workers AI task the caller named for it. */
  task?: string;
}

/**
 * The family that serves `id` as an action of `kind`, in this order: a
 * family of that kind whose catalog knows it; the task the account's model
 * search reported; a task the caller named; the kind's first family (text
 * generation for models) as the fallback. `undefined` when the id belongs to
 * another kind (an embedding model asked for as a model) or to a task no
 * family of this kind serves.
 */
export function familyFor(
  kind: ActionKind,
  id: string,
  hints: IdHints = {},
): TaskFamily | undefined {
  const own = FAMILIES.find((f) => f.actionType === kind && f.known(id));
  if (own) return own;
  if (FAMILIES.some((f) => f.known(id))) return undefined;
  for (const task of [hints.live?.task, hints.task]) {
    if (!task) continue;
    return byTask(kind, task);
  }
  return FAMILIES.find((f) => f.actionType === kind);
}
