/**
 * The account's live model catalog, from Workers AI's model search endpoint
 * (`/ai/models/search`, every page), reduced to what listing and resolving
 * need, and read once per plugin.
 *
 * @module
 */
import { isWorkersAIModelId } from "./model_ids.ts";
import { logger } from "genkit/logging";
import type { WorkersAIClient } from "./client/client.ts";

/** One model of the account's catalog. */
export interface LiveModel {
  /** Model id, e.g. `@cf/meta/llama-3.1-8b-instruct-fast`. */
  id: string;
  /** Workers AI task name, e.g. `Text Generation`. */
  task: string;
  /** Cloudflare's description. */
  description: string;
  /** `function_calling` property. */
  functionCalling: boolean;
  /** `context_window` property, in tokens. */
  contextWindow?: number;
  /** `beta` property. */
  beta: boolean;
  /** `planned_deprecation_date` property (`YYYY-MM-DD`), when set. */
  deprecationDate?: string;
  /** `vision` property: the model takes images. */
  vision?: boolean;
  /** `reasoning` property. */
  reasoning?: boolean;
  /** `lora` property: the model takes LoRA adapters. */
  lora?: boolean;
  /** `require_workers_paid` property. */
  paidOnly?: boolean;
  /** `deprecated` property. */
  deprecated?: boolean;
}

const PER_PAGE = 100;
/** A bound on pages, so that a misbehaving endpoint cannot loop forever. */
const MAX_PAGES = 50;

function property(
  props: { property_id?: string; value?: unknown }[],
  id: string,
): unknown {
  return props.find((p) => p.property_id === id)?.value;
}

function truthy(value: unknown): boolean {
  return value === true || value === "true";
}

/** Maps one search result object to a {@link LiveModel}; `undefined` when it has no usable name. */
function toLiveModel(raw: Record<string, unknown>): LiveModel | undefined {
  const id = raw.name;
  // An id from the network is as untrusted as one from a caller: one that
  // breaks the model-id grammar is never listed, so it can never be sent.
  if (!isWorkersAIModelId(id)) return undefined;
  const props = Array.isArray(raw.properties) ? raw.properties : [];
  const task = (raw.task as { name?: unknown } | undefined)?.name;
  const context = Number(property(props, "context_window"));
  const deprecation = property(props, "planned_deprecation_date");
  return {
    id,
    task: typeof task === "string" ? task : "",
    description: typeof raw.description === "string" ? raw.description : "",
    functionCalling: truthy(property(props, "function_calling")),
    contextWindow: Number.isFinite(context) && context > 0 ? context : undefined,
    beta: truthy(property(props, "beta")),
    deprecationDate: typeof deprecation === "string" && deprecation ? deprecation : undefined,
    vision: truthy(property(props, "vision")),
    reasoning: truthy(property(props, "reasoning")),
    lora: truthy(property(props, "lora")),
    paidOnly: truthy(property(props, "require_workers_paid")),
    deprecated: truthy(property(props, "deprecated")),
  };
}

/** Reads every page of the account's model search. */
async function searchAllModels(client: WorkersAIClient): Promise<LiveModel[]> {
  const models: LiveModel[] = [];
  let fetched = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const envelope = await client.get(`ai/models/search?page=${page}&per_page=${PER_PAGE}`);
    const result = Array.isArray(envelope.result) ? envelope.result : [];
    for (const raw of result) {
      const m = toLiveModel(raw as Record<string, unknown>);
      if (m) models.push(m);
    }
    const info = envelope.result_info as { per_page?: number; total_count?: number } | undefined;
    // The server may serve fewer per page than asked: page by what it says.
    const perPage = info?.per_page ?? PER_PAGE;
    const total = info?.total_count;
    fetched += result.length;
    if (result.length === 0 || (total !== undefined ? fetched >= total : result.length < perPage)) {
      break;
    }
  }
  return models;
}

/**
 * The account's models, read once (every page) and kept; a failed read is
 * logged once and tried again on the next call.
 */
export class ModelSearch {
  readonly #client: WorkersAIClient;
  #models: Promise<ReadonlyMap<string, LiveModel>> | undefined;
  #failureLogged = false;

  constructor(client: WorkersAIClient) {
    this.#client = client;
  }

  /** The account's models by id, or `undefined` when the search could not be read. */
  async models(): Promise<ReadonlyMap<string, LiveModel> | undefined> {
    this.#models ??= searchAllModels(this.#client).then((list) =>
      new Map(list.map((m) => [m.id, m]))
    );
    try {
      return await this.#models;
    } catch (e) {
      this.#models = undefined; // try again on the next call
      if (!this.#failureLogged) {
        this.#failureLogged = true;
        logger.warn(
          `cloudflare-ai: could not read the account's models (${
            this.#client.redact(e instanceof Error ? e.message : String(e))
          }); listing the built-in catalog instead.`,
        );
      }
      return undefined;
    }
  }
}
