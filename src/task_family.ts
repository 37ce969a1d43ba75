/**
 * The task-family contract: what every Workers AI task family (text
 * generation, embeddings, reranking, image generation, …) gives the
 * registry. It imports no family, so that the registry and every family can
 * import it without a cycle.
 *
 * @module
 */
import type { ActionMetadata } from "genkit";
import type { ResolvableAction } from "genkit/plugin";
import type { WorkersAIClient } from "./client/client.ts";
import type { DownloadPolicy } from "./downloads/policy.ts";
import type { LiveModel } from "./model_search.ts";
import type { Transport } from "./request_config.ts";

/** The Genkit action types Workers AI models become. */
export type ActionKind = "model" | "embedder" | "reranker";

/** The release stages Genkit shows for a model. */
export type Stage = "featured" | "stable" | "unstable" | "legacy" | "deprecated";

/** What a family's actions are built with: the plugin's client and settings. */
export interface FamilyContext {
  /** The client every request goes through. */
  client: WorkersAIClient;
  /** How remote media in prompts is downloaded. */
  downloads: DownloadPolicy;
  /** Requests one batched call keeps in flight. */
  concurrency: number;
  /** How requests travel: through a binding, through AI Gateway. */
  transport: Transport;
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
  /** The Genkit action `name` for a model, its stage set where the family knows one. */
  define(spec: Spec, name: string, context: FamilyContext): ResolvableAction;
  /** What `list()` shows of a model: the metadata its action will have. */
  metadata(spec: Spec, name: string): ActionMetadata;
  /** A reference to a model (`info` and config schema set), for `cloudflareAI.model()` and the like. */
  ref(spec: Spec, name: string, config?: unknown): unknown;
}
