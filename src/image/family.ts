/**
 * The image-generation task family: its Genkit model action (a prompt, and
 * input images for image-to-image, inpainting and FLUX.2 references, to one
 * media part per image), and the entry that joins it to the registry.
 *
 * @module
 */
import type { GenerateResponseData, ModelAction, ModelInfo } from "genkit/model";
import type { WorkersAIClient } from "../client/client.ts";
import type { DownloadPolicy } from "../downloads/policy.ts";
import type { TaskFamily } from "../families.ts";
import { modelEntries } from "../refs.ts";
import { defineTaskModel } from "../task_model.ts";
import { IMAGE_MODELS, type ImageModelSpec, imageModelSpec, knownImageModel } from "./catalog.ts";
import { imageConfigSchemaFor, validateImageConfig } from "./config.ts";
import { imagePrompt, loadInputs, wireRequest } from "./request.ts";
import { explained, imagePart } from "./response.ts";

/** What Genkit's Developer UI and middleware should know about an image model. */
function imageModelInfo(spec: ImageModelSpec): ModelInfo {
  return {
    label: `Cloudflare Workers AI - ${spec.label}`,
    stage: spec.beta ? "unstable" : "stable",
    supports: {
      media: spec.maxImages > 0,
      output: ["media"],
      multiturn: false,
      tools: false,
      systemRole: false,
    },
  };
}

/**
 * Defines the Genkit model action `cloudflare-ai/<id>` for one image model.
 * Everything is checked before any image is downloaded or any request sent;
 * `numberOfImages` requests then go out in parallel, and the first that
 * fails stops the others.
 */
function defineImageModel(
  spec: ImageModelSpec,
  client: WorkersAIClient,
  actionName: string,
  downloads: DownloadPolicy,
): ModelAction {
  return defineTaskModel(
    actionName,
    imageModelInfo(spec),
    imageConfigSchemaFor(spec),
    async (request, abortSignal): Promise<GenerateResponseData> => {
      const config = validateImageConfig(spec, request.config);
      const prompt = imagePrompt(spec, request, config);
      const inputs = await loadInputs(spec, prompt, downloads, abortSignal);
      const count = config.numberOfImages ?? 1;
      const stop = new AbortController();
      const signal = AbortSignal.any([abortSignal, stop.signal]);
      const content = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          try {
            const body = wireRequest(spec, prompt.text, config, inputs, i);
            return imagePart(spec, await client.call(spec.id, body, { signal }));
          } catch (e) {
            // The call fails anyway: spend no more requests on it.
            stop.abort();
            throw e;
          }
        }),
      ).catch((e) => {
        throw explained(spec, e);
      });
      return {
        message: { role: "model", content },
        finishReason: "stop",
        usage: {
          inputImages: inputs.images.length + (inputs.mask ? 1 : 0),
          outputImages: content.length,
        },
      };
    },
  );
}

/** The image-generation family: every `Text-to-Image` model. */
export const imageFamily: TaskFamily<ImageModelSpec> = {
  name: "image",
  actionType: "model",
  noun: "an image-generation model",
  suggestion: "Use one such as @cf/black-forest-labs/flux-1-schnell.",
  tasks: ["Text-to-Image"],
  catalog: IMAGE_MODELS,
  known: knownImageModel,
  spec(id, live) {
    const known = knownImageModel(id);
    if (known || !live) return known ?? imageModelSpec(id);
    // What the account's model search says of a model the catalog does not know.
    return { ...imageModelSpec(id), label: id.replace(/^@(cf|hf)\//, ""), beta: live.beta };
  },
  define: (spec, name, context) => defineImageModel(spec, context.client, name, context.downloads),
  ...modelEntries(imageModelInfo, imageConfigSchemaFor),
};
