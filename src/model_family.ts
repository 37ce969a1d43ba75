/**
 * The one way a family of Genkit models (text generation, image generation,
 * speech, transcription, translation, …) becomes a {@link TaskFamily}: its
 * actions, its listing metadata and its references are all made from the
 * same capabilities and config schema, every model action is defined by
 * {@link defineModelAction}, and every single-turn model's prompt passes
 * the same check before its runner sees it.
 *
 * @module
 */
import { type ActionMetadata, z } from "genkit";
import {
  type GenerateRequest,
  type GenerateResponseChunkData,
  type GenerateResponseData,
  type ModelAction,
  type ModelInfo,
  modelRef,
} from "genkit/model";
import { model, modelActionMetadata, type ResolvableAction } from "genkit/plugin";
import { hasMeta, type RequestExtras, type RequestMeta } from "./client/extras.ts";
import { checkSingleTurn } from "./media.ts";
import { REQUEST_CONFIG_SHAPE, splitRequestConfig, type Transport } from "./request_config.ts";
import type { FamilyContext, Stage, TaskFamily } from "./task_family.ts";

/** What a model runner is handed besides the request. */
export interface RunOptions {
  /** Whether the caller streams. */
  streamingRequested: boolean;
  /** Sends a streamed chunk (a no-op when the caller does not stream). */
  sendChunk: (chunk: GenerateResponseChunkData) => void;
  /** Ends the call when the caller cancels it. */
  abortSignal: AbortSignal;
  /**
   * What every client call of this request passes on: the caller's signal,
   * the request's transport settings (affinity, busy rejection, tags,
   * gateway controls) and the record of what identifies the request.
   */
  call: { signal: AbortSignal; extras?: RequestExtras; meta: RequestMeta };
}

/** Runs one request to one model. */
export type ModelRunner = (
  request: GenerateRequest,
  options: RunOptions,
) => Promise<GenerateResponseData>;

/** Sets a model action's stage (Genkit's `model()` takes none, so it goes on the metadata). */
export function setStage(action: ResolvableAction, stage: Stage | undefined): void {
  const meta = action.__action.metadata as { model?: Record<string, unknown> } | undefined;
  if (meta?.model && stage) meta.model.stage = stage;
}

/** The same on listed metadata. */
export function withStage(meta: ActionMetadata, stage: Stage | undefined): ActionMetadata {
  const model = (meta.metadata as { model?: Record<string, unknown> } | undefined)?.model;
  if (model && stage) model.stage = stage;
  return meta;
}

/**
 * Defines the Genkit model action `name`: its capabilities and stage from
 * `info`, its config schema, and `run`. A model whose `info` says it is
 * single-turn (`multiturn: false`) has its prompt checked by
 * {@link checkSingleTurn} first, identically for every such family; one
 * that answers the output schema itself (`constrained: "all"`) is given it.
 */
export function defineModelAction(
  name: string,
  info: ModelInfo,
  configSchema: z.ZodTypeAny,
  run: ModelRunner,
  transport: Transport = { binding: false, gateway: false },
): ModelAction {
  const singleTurn = info.supports?.multiturn === false;
  const outputs = info.supports?.output ?? ["text"];
  const takesSchema = info.supports?.constrained === "all";
  const id = idOf(name);
  const action = model(
    // A fresh `use` array: Genkit's model() appends its middleware to the one it is given.
    {
      name,
      label: info.label,
      supports: info.supports,
      configSchema: withRequestConfig(configSchema),
      use: [],
    },
    async (request, { streamingRequested, sendChunk, abortSignal }) => {
      if (singleTurn) checkSingleTurn(id, request, outputs, takesSchema);
      const { config, extras } = splitRequestConfig(id, request.config, transport);
      const meta: RequestMeta = {};
      const response = await run(
        config === request.config ? request : { ...request, config },
        { streamingRequested, sendChunk, abortSignal, call: { signal: abortSignal, extras, meta } },
      );
      // What identifies the request afterwards, beside the model's own custom data.
      if (!hasMeta(meta)) return response;
      const custom = response.custom === undefined
        ? meta
        : { ...(response.custom as object), ...meta };
      return { ...response, custom };
    },
  );
  setStage(action, info.stage);
  return action;
}

/** A model's config schema with the request config every model takes. */
export function withRequestConfig(schema: z.ZodTypeAny): z.ZodTypeAny {
  return schema instanceof z.ZodObject ? schema.extend(REQUEST_CONFIG_SHAPE) : schema;
}

/** The model id of an action name (`cloudflare-ai/<id>`). */
function idOf(name: string): string {
  return name.slice(name.indexOf("/") + 1);
}

/** What a family of Genkit models says of itself; {@link modelFamily} makes the rest. */
export interface ModelFamilyDefinition<Spec extends { id: string }>
  extends Omit<TaskFamily<Spec>, "actionType" | "define" | "metadata" | "ref"> {
  /** A model's capabilities, label and stage. */
  info(spec: Spec): ModelInfo;
  /** A model's config schema. */
  schema(spec: Spec): z.ZodTypeAny;
  /**
   * The schema of a reference made before the model is known in detail (the
   * family's common config), when that is not the model's own.
   */
  refSchema?(spec: Spec): z.ZodTypeAny;
  /** The runner of one model, with the plugin's client and settings. */
  runner(spec: Spec, context: FamilyContext): ModelRunner;
}

/**
 * A {@link TaskFamily} of Genkit models: its actions defined by
 * {@link defineModelAction}, and its listing and references made from the
 * same `info` and `schema`, so that what `list()` shows, what the action
 * carries and what a reference says cannot differ.
 */
export function modelFamily<Spec extends { id: string }>(
  definition: ModelFamilyDefinition<Spec>,
): TaskFamily<Spec> {
  const { info, schema, refSchema = schema, runner, ...rest } = definition;
  return {
    ...rest,
    actionType: "model",
    define: (spec, name, context) =>
      defineModelAction(name, info(spec), schema(spec), runner(spec, context), context.transport),
    metadata: (spec, name) =>
      modelActionMetadata({
        name,
        info: info(spec),
        configSchema: withRequestConfig(schema(spec)),
      }),
    ref: (spec, name, config) =>
      modelRef({
        name,
        info: info(spec),
        configSchema: withRequestConfig(refSchema(spec)),
        config,
      }),
  };
}
