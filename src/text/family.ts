/**
 * The text-generation task family: its Genkit model action, and the entry
 * that joins it to the plugin's registry.
 *
 * @module
 */
import { type GenerateRequest, type ModelInfo, simulateConstrainedGeneration } from "genkit/model";
import { isRemoteUrl } from "../downloads/download.ts";
import { inlineRemoteMedia } from "../downloads/inline.ts";
import { displayLabel } from "../labels.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { knownTextModel, TEXT_MODELS, type TextModelSpec, textModelSpec } from "./catalog.ts";
import { configSchemaFor, TextConfigSchema, validateConfig } from "./config.ts";
import { toWireBody } from "./request.ts";
import { parseAnswer, toResponse, withJsonData } from "./response.ts";
import { withSalvagedCall } from "./tool_calls.ts";
import { carriesContent, streamAnswer } from "./stream.ts";

/** What Genkit's Developer UI and middleware should know about a model. */
function textModelInfo(spec: TextModelSpec): ModelInfo {
  return {
    label: displayLabel(spec.label),
    stage: spec.deprecated || spec.deprecation ? "deprecated" : spec.beta ? "unstable" : "stable",
    supports: {
      multiturn: true,
      systemRole: true,
      media: spec.vision !== "none",
      tools: spec.tools,
      // Only where the published input has tool_choice (see request.ts).
      toolChoice: spec.toolChoice,
      output: spec.json === "none" ? ["text"] : ["text", "json"],
      // JSON mode and tools together are not documented on Workers AI: with
      // tools, Genkit falls back to schema instructions in the prompt, as it
      // does always for a model whose published input has no JSON field.
      constrained: spec.json === "none" ? "none" : "no-tools",
    },
  };
}

/**
 * The runner of one text model. Remote images are downloaded once the
 * request is known to be one the model can take.
 */
function textRunner(spec: TextModelSpec, { client, downloads }: FamilyContext): ModelRunner {
  return async (request, { streamingRequested, sendChunk, abortSignal, call }) => {
    const config = validateConfig(spec, request.config);
    if (streamingRequested && request.output?.constrained && spec.json !== "none") {
      // Workers AI JSON mode cannot stream: ask with schema instructions
      // instead, so that the caller still gets partial output chunks.
      let instructed = request;
      await simulateConstrainedGeneration()(request, (r) => {
        instructed = r as GenerateRequest;
        return Promise.resolve({});
      });
      request = instructed;
    }
    // Everything is checked before any image is downloaded; with remote
    // images, the body is built again from the downloaded ones.
    let body = toWireBody(spec, request, config, streamingRequested, true);
    if (
      request.messages.some((m) => m.content.some((p) => p.media && isRemoteUrl(p.media.url)))
    ) {
      const messages = await inlineRemoteMedia(
        spec.id,
        request.messages,
        "image",
        downloads,
        abortSignal,
      );
      request = { ...request, messages };
      body = toWireBody(spec, request, config, streamingRequested);
    }
    const offered = new Set((request.tools ?? []).map((t) => t.name));
    if (!streamingRequested) {
      const result = await client.run(spec.id, body, call);
      const answer = parseAnswer(result, spec.format === "native");
      const response = toResponse(spec, config, withSalvagedCall(answer, offered));
      return body.response_format || body.guided_json ? withJsonData(response) : response;
    }
    const items = client.stream(spec.id, body, { ...call, delivers: carriesContent });
    return await streamAnswer(spec, config, offered, items, sendChunk);
  };
}

/** The text-generation family: every `Text Generation` model, and the fallback for unknown ids. */
export const textFamily: TaskFamily<TextModelSpec> = modelFamily<TextModelSpec>({
  name: "text",
  noun: "a text-generation model",
  suggestion: "Use one such as @cf/meta/llama-3.1-8b-instruct-fast.",
  tasks: ["Text Generation"],
  catalog: TEXT_MODELS,
  known: knownTextModel,
  // A model the catalog does not know: its published definition, else what
  // the account's model search says of it.
  spec: (id, live) => textModelSpec(id, live),
  info: textModelInfo,
  schema: configSchemaFor,
  refSchema: () => TextConfigSchema,
  runner: textRunner,
});
