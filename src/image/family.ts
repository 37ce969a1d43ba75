/**
 * The image-generation task family: its Genkit model action (a prompt, and
 * input images for image-to-image, inpainting and FLUX.2 references, to one
 * media part per image), and the entry that joins it to the registry.
 *
 * @module
 */
import type { ModelInfo } from "genkit/model";
import { displayLabel } from "../labels.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { IMAGE_MODELS, imageModelSpec, type ImageSpec, knownImageModel } from "./catalog.ts";
import { imageConfigSchemaFor, validateImageConfig } from "./config.ts";
import { imagePrompt, loadInputs, wireRequest } from "./request.ts";
import { explained, imagePart } from "./response.ts";

/** What Genkit's Developer UI and middleware should know about an image model. */
function imageModelInfo(spec: ImageSpec): ModelInfo {
  return {
    label: displayLabel(spec.label),
    stage: spec.deprecated ? "deprecated" : spec.beta ? "unstable" : "stable",
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
 * The runner of one image model. Everything is checked before any image is
 * downloaded or any request sent; `numberOfImages` requests then go out in
 * parallel, and the first that fails stops the others.
 */
function imageRunner(spec: ImageSpec, { client, downloads }: FamilyContext): ModelRunner {
  return async (request, { abortSignal, call }) => {
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
          return imagePart(spec, await client.call(spec.id, body, { ...call, signal }));
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
  };
}

/** The image-generation family: every `Text-to-Image` model. */
export const imageFamily: TaskFamily<ImageSpec> = modelFamily<ImageSpec>({
  name: "image",
  noun: "an image-generation model",
  suggestion: "Use one such as @cf/black-forest-labs/flux-1-schnell.",
  tasks: ["Text-to-Image"],
  catalog: IMAGE_MODELS as readonly ImageSpec[],
  known: knownImageModel,
  spec(id, live) {
    const known = knownImageModel(id);
    if (known || !live) return known ?? imageModelSpec(id);
    // What the account's model search says of a model the catalog does not know.
    return { ...imageModelSpec(id), beta: live.beta };
  },
  info: imageModelInfo,
  schema: imageConfigSchemaFor,
  runner: imageRunner,
});
