/**
 * Queued text generation: a Genkit request becomes one batch item through
 * the text family's own request building, and a queued item's result
 * becomes the same Genkit response the synchronous model gives.
 *
 * @module
 */
import type { GenerateRequest, GenerateResponseData } from "genkit/model";
import { isRemoteUrl } from "../downloads/download.ts";
import { inlineRemoteMedia } from "../downloads/inline.ts";
import { invalidArgument } from "../errors.ts";
import type { FamilyContext } from "../task_family.ts";
import type { TextModelSpec } from "../text/catalog.ts";
import { type TextConfig, validateConfig } from "../text/config.ts";
import { toWireBody } from "../text/request.ts";
import { parseAnswer, toResponse, type WireUsage, withJsonData } from "../text/response.ts";
import { withSalvagedCall } from "../text/tool_calls.ts";

/** What a queued text item needs to be read back: the config that shapes the answer. */
export interface TextReading {
  /** Stop sequences the plugin applies itself, and the output limit (for the finish reason). */
  config: Pick<TextConfig, "stopSequences" | "maxOutputTokens">;
  /** Whether JSON mode was asked (the answer then also becomes a data part). */
  json: boolean;
  /** The tools offered, whose calls a model may write as text. */
  tools: string[];
}

/**
 * One batch item for `request`, checked as the synchronous model checks it
 * (config, tools, images, JSON mode), with remote images downloaded; a
 * streaming request cannot be queued.
 */
export async function textItem(
  spec: TextModelSpec,
  request: GenerateRequest,
  context: FamilyContext,
  signal?: AbortSignal,
): Promise<{ item: Record<string, unknown>; reading: TextReading }> {
  const config = validateConfig(spec, request.config);
  let body = toWireBody(spec, request, config, false, true);
  if (request.messages.some((m) => m.content.some((p) => p.media && isRemoteUrl(p.media.url)))) {
    const messages = await inlineRemoteMedia(
      spec.id,
      request.messages,
      "image",
      context.downloads,
      signal,
    );
    body = toWireBody(spec, { ...request, messages }, config, false);
  }
  const reading: TextReading = {
    config: {},
    json: body.response_format !== undefined || body.guided_json !== undefined,
    tools: (request.tools ?? []).map((t) => t.name),
  };
  if (config.stopSequences !== undefined) reading.config.stopSequences = config.stopSequences;
  if (config.maxOutputTokens !== undefined) {
    reading.config.maxOutputTokens = config.maxOutputTokens;
  }
  return { item: body, reading };
}

/** A queued item's result as the Genkit response the synchronous model gives. */
export function textOutput(
  spec: TextModelSpec,
  reading: TextReading | undefined,
  result: unknown,
  batchUsage?: WireUsage,
): GenerateResponseData {
  const answer = parseAnswer(result, spec.format === "native");
  // Usage is reported for the whole batch (reference §1.2): an item's own is kept if it has one.
  if (!answer.usage && batchUsage) answer.usage = batchUsage;
  const offered = new Set(reading?.tools ?? []);
  const response = toResponse(spec, reading?.config ?? {}, withSalvagedCall(answer, offered));
  return reading?.json ? withJsonData(response) : response;
}

/** Refuses a streaming request to a queued model. */
export function refuseStreaming(id: string): never {
  throw invalidArgument(
    `A queued request to ${id} cannot stream: its answer is collected later with ` +
      "ai.checkOperation(). Call ai.generate() without streaming, or stream from the " +
      `synchronous model cloudflareAI.model("${id}").`,
    { model: id },
  );
}
