/**
 * Queued text generation as a Genkit background model: `ai.generate()`
 * submits one request to Workers AI's async batch queue and returns an
 * operation whose id is Cloudflare's `request_id`; `ai.checkOperation()`
 * polls it once per call. The action is named `cloudflare-ai/queue/<id>`, so
 * that it never collides with the model action `cloudflare-ai/<id>` that
 * Genkit looks up first.
 *
 * @module
 */
import { GenkitError, type Operation, type z } from "genkit";
import {
  type GenerateRequest,
  type GenerateResponseData,
  type ModelInfo,
  modelRef,
  type ModelReference,
} from "genkit/model";
import { backgroundModel, modelActionMetadata } from "genkit/plugin";
import type { ActionMetadata } from "genkit";
import type { FamilyContext } from "../task_family.ts";
import { type TextModelSpec, textModelSpec } from "../text/catalog.ts";
import { configSchemaFor, type TextConfig } from "../text/config.ts";
import { textFamily } from "../text/family.ts";
import {
  checkQueued,
  jsonBytes,
  MAX_SUBMISSION_BYTES,
  poll,
  QUEUE_MODEL_IDS,
  statusOfItemError,
  submit,
} from "./queue.ts";
import { refuseStreaming, textItem, textOutput, type TextReading } from "./text_items.ts";

/** The part of a background model's action name before the model id. */
export const QUEUE_PREFIX = "queue/";

/** The Genkit action name of the background model of `id`. */
export function queueActionName(plugin: string, id: string): string {
  return `${plugin}/${QUEUE_PREFIX}${id}`;
}

/** The model id in a background model's action name or registry key, if it is one. */
export function queuedModelId(name: string): string | undefined {
  const at = name.indexOf(`/${QUEUE_PREFIX}`);
  return at < 0 ? undefined : name.slice(at + QUEUE_PREFIX.length + 1);
}

/** What a queued operation carries besides its id, to read the answer as it was asked. */
interface QueuedMetadata {
  model: string;
  status: string;
  reading?: TextReading;
}

function queuedInfo(spec: TextModelSpec, name: string): ModelInfo {
  const ref = textFamily.ref(spec, name) as ModelReference<z.ZodTypeAny>;
  const info = ref.info ?? {};
  return {
    ...info,
    label: `${info.label ?? spec.label} (queued)`,
    supports: { ...info.supports, longRunning: true } as ModelInfo["supports"],
  };
}

/** The metadata `list()` shows of the background model of `id`. */
export function queuedModelMetadata(id: string, name: string): ActionMetadata {
  const spec = textModelSpec(id);
  return modelActionMetadata({
    name,
    info: queuedInfo(spec, name),
    configSchema: configSchemaFor(spec),
    background: true,
  });
}

/** What `list()` shows of every background model the plugin serves (for the Developer UI). */
export function queuedListing(plugin: string): ActionMetadata[] {
  return QUEUE_MODEL_IDS.flatMap((id) => {
    try {
      checkQueued(id, "generate");
    } catch {
      return []; // an embedding model, or one the plugin does not queue
    }
    return [queuedModelMetadata(id, queueActionName(plugin, id))];
  });
}

/** A reference to the background model of `id` (checked: its definition takes the queue). */
export function queuedModelRef(
  id: string,
  name: string,
  config?: TextConfig,
): ModelReference<z.ZodTypeAny> {
  checkQueued(id, "generate");
  const spec = textModelSpec(id);
  return modelRef({
    name,
    info: queuedInfo(spec, name),
    configSchema: configSchemaFor(spec),
    config,
  });
}

/** Defines the background model `name` over the queue of model `id`. */
export function defineQueuedModel(id: string, name: string, context: FamilyContext) {
  checkQueued(id, "generate");
  const spec = textModelSpec(id);
  const { client } = context;
  return backgroundModel({
    name,
    label: queuedInfo(spec, name).label,
    supports: queuedInfo(spec, name).supports,
    configSchema: configSchemaFor(spec),
    async start(request: GenerateRequest, options): Promise<Operation<GenerateResponseData>> {
      const run = options as
        | { streamingRequested?: boolean; abortSignal?: AbortSignal }
        | undefined;
      if (run?.streamingRequested) refuseStreaming(id);
      const { item, reading } = await textItem(spec, request, context, run?.abortSignal);
      if (jsonBytes({ requests: [item] }) > MAX_SUBMISSION_BYTES) {
        throw new GenkitError({
          status: "INVALID_ARGUMENT",
          message: `The queued request to ${id} is over Workers AI's 10 MB batch limit: ` +
            "send smaller images or fewer messages.",
          detail: { model: id },
        });
      }
      const requestId = await submit(client, id, [item], run?.abortSignal);
      const metadata: QueuedMetadata = { model: id, status: "queued", reading };
      return { id: requestId, done: false, metadata: { ...metadata } };
    },
    async check(operation): Promise<Operation<GenerateResponseData>> {
      const requestId = operation.id;
      if (typeof requestId !== "string" || requestId === "") {
        throw new GenkitError({
          status: "INVALID_ARGUMENT",
          message: `An operation of ${id} needs the request_id of its queued request as its id.`,
        });
      }
      const meta = (operation.metadata ?? {}) as Partial<QueuedMetadata>;
      const answer = await poll(client, id, requestId);
      if (!answer.done) {
        return {
          ...operation,
          done: false,
          metadata: { ...meta, model: id, status: answer.status },
        };
      }
      const [outcome] = answer.items;
      const metadata = { ...meta, model: id, status: "done" };
      if (!outcome) {
        throw new GenkitError({
          status: "INTERNAL",
          message:
            `Workers AI finished the queued request ${requestId} for ${id} without an answer.`,
          detail: { model: id, requestId },
        });
      }
      if (!outcome.ok) {
        const { code, message } = outcome.error;
        return {
          ...operation,
          done: true,
          metadata,
          error: {
            message: `Workers AI could not run the queued request ${requestId} for ${id}: ` +
              `Cloudflare error ${code}: ${client.redact(message)}`,
            status: statusOfItemError(outcome.error),
            code,
          },
        };
      }
      const output = textOutput(spec, meta.reading, outcome.result, answer.usage);
      return { ...operation, done: true, metadata, output };
    },
  });
}
