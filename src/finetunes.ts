/**
 * The account's LoRA fine-tunes (`GET /accounts/{id}/ai/finetunes`): what a
 * text model's `config.lora` can name.
 *
 * @module
 */
import { GenkitError } from "genkit";
import { isPlainObject, malformed } from "./client/answer.ts";
import type { WorkersAIClient } from "./client/client.ts";

/**
 * One LoRA fine-tune of the account, as Cloudflare lists it.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type Finetune } from "@x/cloudflare-ai";
 *
 * const cf = cloudflareAI();
 * const tunes: Finetune[] = await cf.finetunes();
 * const forMistral = tunes.filter((t) => t.model === "@cf/mistral/mistral-7b-instruct-v0.2-lora");
 * console.log(forMistral.map((t) => t.name)); // names to pass as config.lora
 * ```
 */
export interface Finetune {
  /** Its id (a UUID); `config.lora` takes it or the name. */
  id: string;
  /** Its name. */
  name: string;
  /** The base model it adapts. */
  model: string;
  /** Its description, when it has one. */
  description?: string;
  /** When it was created. */
  createdAt?: string;
  /** When it was last changed. */
  modifiedAt?: string;
}

/**
 * Lists the account's fine-tunes. Cloudflare's docs show the list nested in
 * one more array (`result: [[…]]`), so nested arrays are flattened.
 */
export async function listFinetunes(
  client: WorkersAIClient,
  binding: boolean,
): Promise<Finetune[]> {
  if (binding) {
    throw new GenkitError({
      status: "FAILED_PRECONDITION",
      message: "Listing fine-tunes needs the REST API (an account id and a token): a Workers " +
        "binding has no such call. List them with `wrangler ai finetune list` instead.",
    });
  }
  const envelope = await client.get("ai/finetunes", {}, "fine-tunes list");
  const result = envelope.result;
  if (!Array.isArray(result)) throw malformed("fine-tunes", "a list that is not an array");
  return result.flat(2).filter(isPlainObject).flatMap((f): Finetune[] => {
    if (typeof f.id !== "string" || typeof f.name !== "string" || typeof f.model !== "string") {
      return [];
    }
    return [{
      id: f.id,
      name: f.name,
      model: f.model,
      ...(typeof f.description === "string" ? { description: f.description } : {}),
      ...(typeof f.created_at === "string" ? { createdAt: f.created_at } : {}),
      ...(typeof f.modified_at === "string" ? { modifiedAt: f.modified_at } : {}),
    }];
  });
}
