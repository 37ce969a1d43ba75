/**
 * What the media task families (image generation, speech, classification,
 * detection, image-to-text, …) share: the prompt of a single-turn request,
 * its media parts as bytes (data URLs decoded, remote URLs downloaded with
 * the hardened downloader), media types told from the bytes' magic numbers,
 * and answers as data URLs.
 *
 * @module
 */
import type { MessageData, Part } from "genkit";
import type { GenerateRequest } from "genkit/model";
import { download, DownloadBudget, isRemoteUrl } from "./downloads/download.ts";
import { base64Size, fromBase64 } from "./base64.ts";
import type { DownloadPolicy } from "./downloads/policy.ts";
import { invalidArgument as invalid } from "./errors.ts";

/** The kinds of media a family takes. */
export type MediaKind = "image" | "audio";

/** A media part of a prompt, with where it came from. */
export interface PromptMedia {
  /** The part's URL (`data:` or `http(s):`). */
  url: string;
  /** The content type the part declares, if any. */
  contentType?: string;
  /** The part's metadata (an inpainting mask is `{ type: "mask" }`). */
  metadata?: Record<string, unknown>;
}

/** The content of a single-turn request: its text (parts joined by a blank line) and its media. */
export interface SingleTurn {
  /** The text parts of the user message, joined by a blank line ("" when there are none). */
  text: string;
  /** The media parts, in order. */
  media: PromptMedia[];
}

/**
 * The one prompt check of every single-turn model (image generation,
 * speech, transcription, translation, classification, …), before any
 * request: refused with `INVALID_ARGUMENT`, naming the model and what to do,
 * are tools, retrieval documents (Genkit's `docs`, which it would otherwise
 * paste into the prompt, to be spoken, drawn or translated), an output
 * schema or an output format the model cannot give (`outputs`: the formats
 * it declares), a history and a system message. A model that `takesSchema`
 * (one whose questions are the output schema's fields: Clef) is given its
 * output schema.
 */
export function checkSingleTurn(
  model: string,
  request: GenerateRequest,
  outputs: readonly string[],
  takesSchema = false,
): void {
  if ((request.tools ?? []).length > 0) {
    throw invalid(`${model} takes no tools; remove them from the request.`);
  }
  const parts: Part[] = request.messages.flatMap((m) => m.content);
  if ((request.docs ?? []).length > 0 || parts.some((p) => p.metadata?.purpose === "context")) {
    throw invalid(
      `${model} takes no documents (docs): they would become part of what it reads. ` +
        "Remove docs from the request; to answer from documents, use a text-generation model.",
    );
  }
  // Genkit adds schema instructions as parts of purpose "output"; sending them would,
  // e.g., speak or translate the instructions.
  const schema = !takesSchema && request.output?.schema;
  if (schema || parts.some((p) => p.metadata?.purpose === "output")) {
    throw invalid(
      `${model} answers in a fixed shape and cannot follow an output schema: remove the ` +
        "request's output option.",
    );
  }
  const format = request.output?.format;
  if (format !== undefined && !outputs.includes(format)) {
    throw invalid(
      `${model} cannot give output format "${format}" (it gives ${outputs.join(" or ")}): ` +
        "remove the request's output option.",
    );
  }
  checkOneUserMessage(model, request.messages);
}

/** Refuses a history or a system message: a single-turn model reads one user message. */
function checkOneUserMessage(model: string, messages: readonly MessageData[]): void {
  if (messages.length !== 1 || messages[0].role !== "user") {
    const roles = messages.map((m) => m.role).join(", ");
    throw invalid(
      `${model} takes a single user message (no history, no system message); got ${messages.length} message(s): ${
        roles || "none"
      }.`,
    );
  }
}

/**
 * The text and media of the one user message of a request to a single-turn
 * model (checked by {@link checkSingleTurn} before its runner runs); a part
 * that is neither text nor media is refused with `INVALID_ARGUMENT`.
 */
export function singleTurn(model: string, request: GenerateRequest): SingleTurn {
  checkOneUserMessage(model, request.messages);
  const users = request.messages;
  const texts: string[] = [];
  const media: PromptMedia[] = [];
  users[0].content.forEach((p: Part, i) => {
    if (typeof p.text === "string") {
      if (p.text !== "") texts.push(p.text);
    } else if (p.media) {
      media.push({
        url: p.media.url,
        ...(p.media.contentType ? { contentType: p.media.contentType } : {}),
        ...(p.metadata ? { metadata: p.metadata as Record<string, unknown> } : {}),
      });
    } else {
      const kind = Object.keys(p).find((k) => k !== "metadata") ?? "empty";
      throw invalid(
        `${model} cannot take the ${kind} part at content[${i}]: it takes text and media.`,
      );
    }
  });
  return { text: texts.join("\n\n"), media };
}

/** Bytes with their media type. */
export interface MediaBytes {
  /** The bytes. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The media type, lower-case, without parameters. */
  contentType: string;
  /** The bytes' base64 as the `data:` URL carried it, when it is already canonical. */
  base64?: string;
}

/** The type of a media part before it is fetched: the declared one, else the data URL's. */
export function declaredType(media: PromptMedia): string | undefined {
  // The URL is read only when no type is declared, and then its header alone (a
  // media type is at most 255 characters): a regular expression over a data URL
  // of megabytes costs milliseconds.
  const type = media.contentType ?? /^data:([^;,]+)[;,]/i.exec(media.url.slice(0, 300))?.[1];
  return type?.split(";")[0].trim().toLowerCase() || undefined;
}

/** Whether a part is of `kind` as far as can be told before fetching it (remote parts may be). */
export function mayBeKind(media: PromptMedia, kind: MediaKind): boolean {
  const type = declaredType(media);
  if (type) return type.startsWith(`${kind}/`);
  return isRemoteUrl(media.url);
}

/**
 * The bytes of media parts: `data:` URLs decoded, `http(s)` URLs downloaded
 * (through the plugin's `fetch`, with its caps, one budget for the request).
 * The type must be of `kind`; a `data:` URL that is not base64 or not of
 * that kind is refused with `INVALID_ARGUMENT`.
 */
export async function mediaBytes(
  model: string,
  media: readonly PromptMedia[],
  kind: MediaKind,
  policy: DownloadPolicy,
  signal?: AbortSignal,
): Promise<MediaBytes[]> {
  const budget = new DownloadBudget(policy.maxTotalBytes);
  return await Promise.all(media.map(async (m) => {
    if (isRemoteUrl(m.url)) return await download(model, m.url, kind, policy, budget, signal);
    const decoded = decodeDataUrl(model, m.url);
    const type = (m.contentType ?? decoded.contentType).split(";")[0].trim().toLowerCase();
    if (!type.startsWith(`${kind}/`)) {
      throw invalid(`${model} takes ${kind} media; got a part of type ${type || "unknown"}.`);
    }
    if (decoded.bytes.length > policy.maxBytes) {
      throw invalid(
        `The ${kind} for ${model} is ${decoded.bytes.length} bytes; the limit is ${policy.maxBytes}.`,
      );
    }
    return { bytes: decoded.bytes, contentType: type, base64: decoded.base64 };
  }));
}

/** Decodes a base64 `data:` URL; anything else is refused. */
function decodeDataUrl(model: string, url: string): MediaBytes {
  // The header is matched alone: a regular expression over a URL of megabytes is slow.
  const comma = url.indexOf(",");
  const m = comma < 0 ? null : /^data:([^;,]*)((?:;[^;,]*)*);base64$/i.exec(url.slice(0, comma));
  if (!m) {
    throw invalid(
      `${model} takes media as base64 data: URLs or http(s) URLs; got ${
        JSON.stringify(url.slice(0, 30))
      }….`,
    );
  }
  let bytes: Uint8Array<ArrayBuffer>;
  const text = url.slice(comma + 1);
  try {
    bytes = fromBase64(text);
  } catch {
    throw invalid(`The data: URL of a media part for ${model} is not valid base64.`);
  }
  // Padded, with no whitespace (its length leaves no room for any): a request
  // field can take the text as it is.
  const pad = ["", "==", "="][bytes.length % 3];
  const canonical = text.length === base64Size(bytes.length) && text.endsWith(pad);
  return { bytes, contentType: m[1].toLowerCase(), base64: canonical ? text : undefined };
}

/** Whether `bytes` open with `prefix` at `offset`. */
function opens(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** An image's type from its magic numbers (PNG, JPEG, GIF, WebP), or `undefined`. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  if (opens(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (opens(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (opens(bytes, ascii("GIF8"))) return "image/gif";
  if (opens(bytes, ascii("RIFF")) && opens(bytes, ascii("WEBP"), 8)) return "image/webp";
  return undefined;
}

/**
 * An audio file's type from its magic numbers: ID3 or an MPEG frame sync is
 * MP3, RIFF/WAVE is WAV, OggS is Ogg, fLaC is FLAC; `undefined` otherwise
 * (raw linear PCM has no header).
 */
export function sniffAudioType(bytes: Uint8Array): string | undefined {
  if (opens(bytes, ascii("ID3"))) return "audio/mpeg";
  if (bytes.length > 1 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return "audio/mpeg";
  if (opens(bytes, ascii("RIFF")) && opens(bytes, ascii("WAVE"), 8)) return "audio/wav";
  if (opens(bytes, ascii("OggS"))) return "audio/ogg";
  if (opens(bytes, ascii("fLaC"))) return "audio/flac";
  return undefined;
}
