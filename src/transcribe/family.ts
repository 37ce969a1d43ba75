/**
 * The speech-to-text task family: one audio part of a Genkit prompt to the
 * most compact body each model accepts (raw bytes with the audio's type for
 * whisper, whisper-tiny-en and nova-3; base64 JSON for whisper-large-v3-turbo
 * and nemotron speech),
 * and the transcript back as text, with Cloudflare's whole result (words,
 * segments, WebVTT, Deepgram's channels) in `custom`.
 *
 * @module
 */
import { GenkitError } from "genkit";
import type { GenerateResponseData, ModelInfo } from "genkit/model";
import { isPlainObject, malformed } from "../client/answer.ts";
import type { Outcome, WireRequest } from "../client/types.ts";
import { base64, base64Size } from "../base64.ts";
import { invalidArgument as invalid } from "../errors.ts";
import { publishedModel } from "../definitions/mod.ts";
import { displayLabel } from "../labels.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { declaredType, mayBeKind, type MediaBytes, mediaBytes, singleTurn } from "../media.ts";
import {
  knownTranscribeModel,
  TRANSCRIBE_MODELS,
  type TranscribeSpec,
  transcribeSpec,
} from "./catalog.ts";
import { TranscribeConfigSchema, transcribeSchemaFor, transcribeWireConfig } from "./config.ts";

/**
 * The largest request body Cloudflare accepts (its API's documented upload
 * limit; no per-model audio limit is published for the speech models).
 */
const REQUEST_LIMIT_BYTES = 100_000_000;

/** What Genkit's Developer UI and middleware should know about a speech-to-text model. */
function transcribeInfo(spec: TranscribeSpec): ModelInfo {
  const published = publishedModel(spec.id);
  return {
    label: displayLabel(spec.label),
    ...(published?.deprecated
      ? { stage: "deprecated" as const }
      : published?.beta
      ? { stage: "unstable" as const }
      : {}),
    supports: { media: true, output: ["text"], multiturn: false, tools: false, systemRole: false },
  };
}

/** The one audio part of a request and its text, checked before anything is downloaded. */
function audioPrompt(spec: TranscribeSpec, request: Parameters<typeof singleTurn>[1]) {
  const { text, media } = singleTurn(spec.id, request);
  if (media.length !== 1) {
    throw invalid(
      `${spec.id} transcribes one audio part (a data: or http(s) URL); the prompt has ` +
        `${media.length} media parts.`,
    );
  }
  if (!mayBeKind(media[0], "audio")) {
    throw invalid(
      `${spec.id} transcribes audio; the media part is of type ${declaredType(media[0])}.`,
    );
  }
  return { text, audio: media[0] };
}

/** The body of a base64 JSON request: base64 grows the audio by a third. */
function checkSize(spec: TranscribeSpec, audio: MediaBytes, extra: number): void {
  const sent = spec.wire === "base64" ? base64Size(audio.bytes.length) + extra : audio.bytes.length;
  if (sent <= REQUEST_LIMIT_BYTES) return;
  const most = spec.wire === "base64"
    ? Math.floor((REQUEST_LIMIT_BYTES - extra) / 4) * 3
    : REQUEST_LIMIT_BYTES;
  throw invalid(
    `The audio for ${spec.id} is ${audio.bytes.length} bytes: too large for one request. ` +
      `Workers AI takes requests of at most 100 MB (${REQUEST_LIMIT_BYTES} bytes)` +
      (spec.wire === "base64" ? `, which base64 JSON leaves ${most} bytes of audio` : "") +
      ". Split the audio into shorter parts, or compress it (e.g. MP3 or Opus).",
    { model: spec.id, bytes: audio.bytes.length, limit: most },
  );
}

/** The wire request of one transcription. */
function wireRequest(
  spec: TranscribeSpec,
  audio: MediaBytes,
  options: Record<string, unknown>,
): WireRequest {
  const { bytes, contentType } = audio;
  if (spec.wire === "base64") {
    // whisper-large-v3-turbo's schema requires base64 in `audio`.
    const body = { audio: base64(bytes), ...options };
    return { body: { json: body } };
  }
  if (spec.wire === "deepgram") {
    return {
      body: { bytes, contentType },
      // nova-3 over REST takes its options in the query string (its docs' curl).
      query: options as WireRequest["query"],
      // Over a binding: the file as a stream beside the options, read once per attempt;
      // the raw response is asked for, as Cloudflare's binding example does.
      bindingInputs: () => ({ audio: { body: new Response(bytes).body, contentType }, ...options }),
      answer: "bytes",
    };
  }
  return {
    body: { bytes, contentType },
    // whisper's binding types take `{ audio: number[] }` and no raw bytes; made only if used.
    bindingInputs: () => ({ audio: Array.from(bytes) }),
  };
}

/** The result object of an answer (a raw JSON response is parsed). */
function resultOf(spec: TranscribeSpec, outcome: Outcome): Record<string, unknown> {
  let result: unknown = outcome.kind === "json" ? outcome.result : undefined;
  if (outcome.kind === "bytes") {
    try {
      result = JSON.parse(new TextDecoder().decode(outcome.bytes));
    } catch {
      throw malformed(spec.id, `${outcome.bytes.length} bytes that are not JSON`);
    }
    if (isPlainObject(result) && isPlainObject(result.result)) result = result.result;
  }
  if (!isPlainObject(result)) throw malformed(spec.id, "a result that is not an object");
  return result;
}

/**
 * The transcript: whisper's and nemotron's `text`, or Deepgram's first
 * channel's first alternative. nemotron's `text` is optional in its types:
 * an answer with only its `duration` heard no speech.
 */
function transcriptOf(spec: TranscribeSpec, result: Record<string, unknown>): string {
  if (typeof result.text === "string") return result.text.trim();
  if (result.text === undefined && typeof result.duration === "number") return "";
  const channels = (result.results as { channels?: unknown } | undefined)?.channels;
  const first = Array.isArray(channels)
    ? (channels[0] as { alternatives?: { transcript?: unknown }[] } | undefined)?.alternatives?.[0]
    : undefined;
  if (typeof first?.transcript === "string") return first.transcript;
  throw malformed(spec.id, "no text (whisper) and no results.channels (Deepgram)");
}

/** Seconds of audio the answer reports, if it does. */
function audioSeconds(result: Record<string, unknown>): number | undefined {
  const info = result.transcription_info as { duration?: unknown } | undefined;
  const meta = result.metadata as { duration?: unknown } | undefined;
  // whisper-large-v3-turbo, Deepgram, nemotron (its top-level `duration`).
  const d = info?.duration ?? meta?.duration ?? result.duration;
  return typeof d === "number" && Number.isFinite(d) ? d : undefined;
}

function toResponse(text: string, result: Record<string, unknown>): GenerateResponseData {
  const seconds = audioSeconds(result);
  return {
    message: { role: "model", content: [{ text }] },
    finishReason: "stop",
    custom: result,
    usage: {
      inputAudioFiles: 1,
      outputCharacters: text.length,
      ...(seconds === undefined ? {} : { custom: { inputAudioSeconds: seconds } }),
    },
  };
}

/** The runner of one speech-to-text model. */
function transcribeRunner(spec: TranscribeSpec, { client, downloads }: FamilyContext): ModelRunner {
  return async (request, { abortSignal, call }) => {
    if (spec.wire === "realtime") {
      throw new GenkitError({
        status: "UNIMPLEMENTED",
        message: `${spec.id} transcribes only in realtime WebSocket sessions (its published ` +
          "definition takes no audio over HTTP), and realtime WebSocket sessions are not " +
          "supported yet. Use @cf/deepgram/nova-3, @cf/openai/whisper-large-v3-turbo or " +
          "@cf/nvidia/nemotron-speech-streaming-en-0.6b for recorded audio.",
        detail: { model: spec.id },
      });
    }
    const options = transcribeWireConfig(spec, request.config);
    const { text, audio } = audioPrompt(spec, request);
    if (text !== "") {
      if (!spec.promptField) {
        throw invalid(
          `${spec.id} takes no prompt text beside the audio; remove the text part` +
            (spec.wire === "deepgram" ? " (config.keyterm boosts terms instead)." : "."),
        );
      }
      if (options[spec.promptField] !== undefined) {
        throw invalid(
          `${spec.id} got an initial prompt twice, as a text part and as config.initialPrompt; ` +
            "give one of them.",
        );
      }
      options[spec.promptField] = text;
    }
    const [file] = await mediaBytes(spec.id, [audio], "audio", downloads, abortSignal);
    checkSize(spec, file, JSON.stringify(options).length + 16);
    const outcome = await client.call(spec.id, wireRequest(spec, file, options), call);
    const result = resultOf(spec, outcome);
    return toResponse(transcriptOf(spec, result), result);
  };
}

/** The speech-to-text family: every `Automatic Speech Recognition` model. */
export const transcribeFamily: TaskFamily<TranscribeSpec> = modelFamily<TranscribeSpec>({
  name: "transcribe",
  noun: "a speech-to-text model",
  suggestion: "Use one such as @cf/openai/whisper-large-v3-turbo.",
  tasks: ["Automatic Speech Recognition"],
  catalog: TRANSCRIBE_MODELS as readonly TranscribeSpec[],
  known: knownTranscribeModel,
  spec: (id) => transcribeSpec(id),
  info: transcribeInfo,
  schema: transcribeSchemaFor,
  refSchema: () => TranscribeConfigSchema,
  runner: transcribeRunner,
});
