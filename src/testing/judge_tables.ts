/**
 * The emulator's own input schemas, for what Cloudflare's published model
 * definitions do not say: each names its source. Everything else is judged
 * by the published definitions (`src/definitions/schemas.ts`).
 *
 * @module
 */

/**
 * Input schemas of models Cloudflare publishes no definition file for.
 *
 * `@cf/nvidia/nemotron-speech-streaming-en-0.6b`: the model is listed by the
 * model search but has no file in Cloudflare's documentation repository; its
 * input is `Ai_Cf_Nvidia_Nemotron_Speech_Streaming_En_0_6B_Input` of
 * `@cloudflare/workers-types` 5.20261117.1 (audio as a stream with its content
 * type, or as base64 with an optional encoding, sample rate and channels).
 */
export const OWN_INPUT_SCHEMAS: Readonly<Record<string, unknown>> = {
  "@cf/nvidia/nemotron-speech-streaming-en-0.6b": {
    type: "object",
    oneOf: [
      {
        properties: {
          audio: {
            type: "object",
            properties: { body: { type: "object" }, contentType: { type: "string" } },
            required: ["body", "contentType"],
          },
        },
        required: ["audio"],
      },
      {
        properties: {
          audio: { type: "string" },
          encoding: { type: "string", enum: ["wav", "flac", "ogg", "linear16"] },
          sample_rate: { type: "number" },
          channels: { type: "number" },
        },
        required: ["audio"],
      },
    ],
  },
};

/** `response_format` as the published definitions that have it describe it. */
const RESPONSE_FORMAT = {
  type: "object",
  properties: { type: { type: "string", enum: ["json_object", "json_schema"] }, json_schema: {} },
};

/**
 * Top-level properties a model takes besides those its published input
 * lists, each with its source. JSON mode: Cloudflare's JSON mode page
 * (developers.cloudflare.com/workers-ai/features/json-mode/) lists these
 * models as supporting `response_format`, although their published schemas
 * (snapshot of 2026-12-06) have no such field. The page's other models
 * (llama-3.3-70b-instruct-fp8-fast, deepseek-coder-6.7b-instruct-awq,
 * deepseek-r1-distill-qwen-32b) publish it.
 */
export const EXTRA_PROPERTIES: Readonly<Record<string, Record<string, unknown>>> = Object
  .fromEntries(
    [
      "@cf/meta/llama-3.1-8b-instruct-fast",
      "@cf/meta/llama-3.1-70b-instruct",
      "@cf/meta/llama-3-8b-instruct",
      "@cf/meta/llama-3.1-8b-instruct",
      "@cf/meta/llama-3.2-11b-vision-instruct",
      "@hf/nousresearch/hermes-2-pro-mistral-7b",
    ].map((id) => [id, { response_format: RESPONSE_FORMAT }]),
  );

/** A FLUX.2 form's fields, with `steps` or without it. */
function flux2Form(steps: boolean): unknown {
  const image = { type: "object" };
  return {
    type: "object",
    properties: {
      prompt: { type: "string", minLength: 1 },
      width: { type: "integer", minimum: 256, maximum: 1920 },
      height: { type: "integer", minimum: 256, maximum: 1920 },
      guidance: { type: "number" },
      seed: { type: "integer" },
      ...(steps ? { steps: { type: "integer", minimum: 1 } } : {}),
      input_image_0: image,
      input_image_1: image,
      input_image_2: image,
      input_image_3: image,
    },
    required: ["prompt"],
  };
}

/**
 * The multipart form fields of the FLUX.2 models, whose published input is
 * only `{ multipart: { body: object, contentType: string } }`. Source:
 * Cloudflare's changelog entries announcing them (workers-ai
 * `2025-11-25-flux-2-dev-workers-ai.mdx`, `2026-01-28-flux-2-klein-9b-workers-ai.mdx`):
 * `prompt` (required), `input_image_0` to `input_image_3` (files), `width`
 * and `height` (256 to 1920), `guidance`, `seed`, and `steps` on dev only
 * (klein's are fixed at 4). No range is published for `steps` past 1 or for
 * `guidance`, so none is judged. A file field is judged as an object.
 */
export const FORM_SCHEMAS: Readonly<Record<string, unknown>> = {
  "@cf/black-forest-labs/flux-2-dev": flux2Form(true),
  "@cf/black-forest-labs/flux-2-klein-4b": flux2Form(false),
  "@cf/black-forest-labs/flux-2-klein-9b": flux2Form(false),
};
