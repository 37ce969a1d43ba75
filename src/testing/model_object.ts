/**
 * Model objects as the model search returns them, built the same way for
 * every task.
 *
 * @module
 */

import { PUBLISHED_MODEL_IDS, publishedModel } from "../definitions/mod.ts";
import { hash32, uuidOf } from "./util.ts";

/** A model object as the search endpoint returns it. */
export interface ModelObject {
  /** Uuid-like id. */
  id: string;
  /** 1 for `@cf/` models, 2 for `@hf/` models. */
  source: number;
  /** The model id used in `/ai/run/{name}`. */
  name: string;
  /** Description. */
  description: string;
  /** The task the model performs. */
  task: { id: string; name: string; description: string };
  /** Creation time, `YYYY-MM-DD HH:MM:SS.mmm`. */
  created_at: string;
  /** Tags (always empty). */
  tags: string[];
  /** Model properties. */
  properties: { property_id: string; value: string }[];
}

/** A Workers AI task as the search names and describes it. */
export interface SearchTask {
  /** Task name, e.g. `Text Generation`. */
  name: string;
  /** Task description. */
  description: string;
}

/**
 * The ids Cloudflare's published definitions file under a task: the models
 * the emulator serves for it, whatever the plugin's catalogs list.
 */
export function publishedIdsOf(task: SearchTask): readonly string[] {
  return PUBLISHED_MODEL_IDS.filter((id) => publishedModel(id)?.task === task.name);
}

/** Whether Cloudflare's published definitions file `model` under a task. */
export function publishedAs(model: string, task: SearchTask): boolean {
  return publishedModel(model)?.task === task.name;
}

function createdAt(id: string): string {
  const h = hash32(`created:${id}`);
  const day = new Date(Date.UTC(2024, 0, 1) + (h % 700) * 86_400_000 + (h % 86_400) * 1000);
  return day.toISOString().replace("T", " ").replace("Z", "");
}

/** The deterministic model object of a model id. */
export function modelObject(
  id: string,
  task: SearchTask,
  description: string,
  properties: [property: string, value: string][],
): ModelObject {
  return {
    id: uuidOf(id),
    source: id.startsWith("@hf/") ? 2 : 1,
    name: id,
    description,
    task: { id: uuidOf(`task:${task.name}`), name: task.name, description: task.description },
    created_at: createdAt(id),
    tags: [],
    properties: properties.map(([property_id, value]) => ({ property_id, value })),
  };
}
