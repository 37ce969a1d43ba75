/**
 * From Workers AI image answers to Genkit media parts: binary bodies typed
 * by their `Content-Type` (or, from a binding's byte stream, by their magic
 * numbers), base64 JSON answers typed by their magic numbers, and the
 * failures that must not pass as an empty success. Also the hints added to
 * the errors only image models meet (content filters, FLUX.2 through AI
 * Gateway).
 *
 * @module
 */
import { GenkitError } from "genkit";
import type { MediaPart } from "genkit";
import type { Outcome } from "../client/types.ts";
import type { CloudflareErrorDetail } from "../errors.ts";
import { dataUrl, fromBase64 } from "../base64.ts";
import { sniffImageType } from "../media.ts";
import type { ImageModelSpec } from "./catalog.ts";

function badAnswer(spec: ImageModelSpec, what: string, hint: string): GenkitError {
  return new GenkitError({
    status: "INTERNAL",
    message: `Workers AI answered ${spec.id} with ${what}. ${hint}`,
    detail: { model: spec.id },
  });
}

const RETRY_HINT = "Try again; if it persists, try another prompt or seed (a content filter may " +
  "have removed the image).";

/** The media type of a `Content-Type` value when it names an image, else `undefined`. */
function declaredImageType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0].trim().toLowerCase();
  return type?.startsWith("image/") ? type : undefined;
}

/** The bytes and type of one image answer; an empty or unreadable answer is an error. */
function imageOf(spec: ImageModelSpec, outcome: Outcome): { bytes: Uint8Array; type: string } {
  if (outcome.kind === "bytes") {
    const { bytes, contentType } = outcome;
    if (bytes.length === 0) throw badAnswer(spec, "an empty image", RETRY_HINT);
    // A binding's byte stream has no content type: the bytes tell.
    const type = declaredImageType(contentType) ?? sniffImageType(bytes);
    if (!type) {
      throw badAnswer(
        spec,
        `${bytes.length} bytes of ${contentType ?? "no declared type"} that are not a PNG, ` +
          "JPEG, GIF or WebP image",
        "The model's output format may have changed.",
      );
    }
    return { bytes, type };
  }
  const result = outcome.result as Record<string, unknown>;
  const image = result?.image;
  if (typeof image !== "string") {
    const keys = Object.keys(result ?? {});
    throw badAnswer(
      spec,
      keys.length === 0 ? "no image" : `no image (an answer with ${keys.join(", ")})`,
      RETRY_HINT,
    );
  }
  if (image === "") throw badAnswer(spec, "an empty image", RETRY_HINT);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(image);
  } catch {
    throw badAnswer(spec, "an image that is not valid base64", "The answer is malformed.");
  }
  // The JSON answer does not say the format (flux-1-schnell and lucid-origin
  // answer JPEG, FLUX.2 PNG): only the magic numbers do.
  const type = sniffImageType(bytes);
  if (!type) {
    throw badAnswer(
      spec,
      `base64 of ${bytes.length} bytes that are not a PNG, JPEG, GIF or WebP image`,
      "The model's output format may have changed.",
    );
  }
  return { bytes, type };
}

/** One answer as a Genkit media part: a base64 data URL with its type. */
export function imagePart(spec: ImageModelSpec, outcome: Outcome): MediaPart {
  const { bytes, type } = imageOf(spec, outcome);
  return { media: { url: dataUrl(bytes, type), contentType: type } };
}

/** Content-filter refusals (flux-1-schnell: 3030 "Input prompt contains NSFW content"). */
const FILTERED = /\bnsfw\b|content filter|safety (?:filter|checker)|flagged/i;

/**
 * A failure of an image request, with what to do where Cloudflare's text
 * does not say it: a content-filter refusal, or FLUX.2's multipart body
 * refused by AI Gateway (REST: HTTP 500 with code 7000; binding: "AI Gateway
 * does not support ReadableStreams yet").
 */
export function explained(spec: ImageModelSpec, error: unknown): unknown {
  if (!(error instanceof GenkitError)) return error;
  const detail = error.detail as Partial<CloudflareErrorDetail> | undefined;
  const errors = detail?.errors ?? [];
  let hint: string | undefined;
  if (errors.some((e) => FILTERED.test(e.message))) {
    hint = `${spec.id}'s content filter refused the prompt, and no image was made. Rephrase ` +
      "the prompt (filters also flag harmless prompts now and then).";
  } else if (
    spec.request === "multipart" &&
    errors.some((e) =>
      (e.code === 7000 && detail?.httpStatus === 500) ||
      /gateway does not support readablestream/i.test(e.message)
    )
  ) {
    // cloudflare-docs issue #33336: AI Gateway fails on multipart bodies.
    hint = `FLUX.2 through AI Gateway is a known Cloudflare limitation: the gateway does not ` +
      `pass multipart bodies on, and ${spec.id} takes nothing else. Call it without the ` +
      "gateway: a cloudflareAI() instance without the gateway option (in its own genkit() " +
      "app), or env.AI.run() without gateway options.";
  }
  if (!hint) return error;
  return new GenkitError({
    status: error.status,
    message: `${error.originalMessage} ${hint}`,
    detail: error.detail,
    ...(error.responseMetadata ? { responseMetadata: error.responseMetadata } : {}),
  });
}
