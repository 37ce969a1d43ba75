/**
 * The text-to-speech task family: the prompt's text to the field each model
 * speaks (MeloTTS `prompt`, Aura `text`), and its audio back as one media
 * part, a data URL whose type is told from the bytes where they say it.
 *
 * @module
 */
import type { GenerateResponseData, ModelInfo } from "genkit/model";
import { isPlainObject, malformed } from "../client/answer.ts";
import type { Outcome } from "../client/types.ts";
import { invalidArgument as invalid } from "../errors.ts";
import { publishedModel } from "../definitions/mod.ts";
import { displayLabel } from "../labels.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { dataUrl, fromBase64 } from "../base64.ts";
import { singleTurn, sniffAudioType } from "../media.ts";
import { knownSpeechModel, SPEECH_MODELS, type SpeechSpec, speechSpec } from "./catalog.ts";
import { rawAudioType, SpeechConfigSchema, speechSchemaFor, speechWireConfig } from "./config.ts";

/** What Genkit's Developer UI and middleware should know about a text-to-speech model. */
function speechInfo(spec: SpeechSpec): ModelInfo {
  const published = publishedModel(spec.id);
  return {
    label: displayLabel(spec.label),
    ...(published?.deprecated
      ? { stage: "deprecated" as const }
      : published?.beta
      ? { stage: "unstable" as const }
      : {}),
    supports: {
      media: false,
      output: ["media"],
      multiturn: false,
      tools: false,
      systemRole: false,
    },
  };
}

/** The length of an ID3v2 tag at the start of `bytes` (0 when there is none). */
function id3Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) |
    (bytes[9] & 0x7f);
  return 10 + size + ((bytes[5] & 0x10) ? 10 : 0);
}

/**
 * An audio file's type from its bytes. Past an ID3 tag, an ADTS frame (sync
 * with layer 00, which MPEG audio reserves) is AAC, which a plain frame-sync
 * check would take for MP3; everything else is {@link sniffAudioType}'s.
 */
function audioTypeOf(bytes: Uint8Array): string | undefined {
  const start = id3Length(bytes);
  const b0 = bytes[start];
  const b1 = bytes[start + 1];
  if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return "audio/aac";
  return sniffAudioType(bytes.subarray(start)) ?? sniffAudioType(bytes);
}

/** The audio of an answer: raw bytes, or JSON `{ audio: base64 }` (MeloTTS answers either). */
function audioOf(spec: SpeechSpec, outcome: Outcome): { bytes: Uint8Array; label?: string } {
  if (outcome.kind === "bytes") {
    if (outcome.bytes.length === 0) throw malformed(spec.id, "an empty audio file");
    return { bytes: outcome.bytes, label: outcome.contentType };
  }
  const audio = isPlainObject(outcome.result) ? outcome.result.audio : undefined;
  if (typeof audio !== "string" || audio === "") {
    throw malformed(spec.id, "a JSON result without base64 audio");
  }
  try {
    return { bytes: fromBase64(audio) };
  } catch {
    throw malformed(spec.id, "audio that is not base64");
  }
}

/**
 * The media type of the audio: headerless samples as the request asked for
 * them; otherwise the bytes' magic numbers (they cannot be wrong, and
 * MeloTTS is reported to send WAV where MP3 is documented); otherwise the
 * answer's audio `Content-Type`; otherwise the model's documented type.
 */
function typeOf(
  spec: SpeechSpec,
  wire: Record<string, unknown>,
  bytes: Uint8Array,
  label: string | undefined,
): string {
  const raw = rawAudioType(wire);
  if (raw) return raw;
  const sniffed = audioTypeOf(bytes);
  if (sniffed) return sniffed;
  const declared = label?.split(";")[0].trim().toLowerCase();
  if (declared?.startsWith("audio/")) return declared;
  return spec.documentedType;
}

function toResponse(url: string, contentType: string, chars: number): GenerateResponseData {
  return {
    message: { role: "model", content: [{ media: { url, contentType } }] },
    finishReason: "stop",
    usage: { inputCharacters: chars, outputAudioFiles: 1 },
  };
}

/** The runner of one text-to-speech model. */
function speechRunner(spec: SpeechSpec, { client }: FamilyContext): ModelRunner {
  return async (request, { call }) => {
    const wire = speechWireConfig(spec, request.config);
    const { text, media } = singleTurn(spec.id, request);
    if (media.length > 0) {
      throw invalid(`${spec.id} speaks text and takes no media; remove the media part.`);
    }
    if (text.trim() === "") throw invalid(`${spec.id} needs text to speak; the prompt is empty.`);
    const body = { [spec.textField]: text, ...wire };
    // Binary answers are asked for as bytes (over a binding, as a raw response);
    // a JSON answer (MeloTTS's base64 `audio`) is read as JSON all the same.
    const outcome = await client.call(spec.id, { body: { json: body }, answer: "bytes" }, call);
    const { bytes, label } = audioOf(spec, outcome);
    const contentType = typeOf(spec, wire, bytes, label);
    return toResponse(dataUrl(bytes, contentType), contentType, text.length);
  };
}

/** The text-to-speech family: every `Text-to-Speech` model. */
export const speechFamily: TaskFamily<SpeechSpec> = modelFamily<SpeechSpec>({
  name: "speech",
  noun: "a text-to-speech model",
  suggestion: "Use one such as @cf/deepgram/aura-2-en.",
  tasks: ["Text-to-Speech"],
  catalog: SPEECH_MODELS as readonly SpeechSpec[],
  known: knownSpeechModel,
  spec: (id) => speechSpec(id),
  info: speechInfo,
  schema: speechSchemaFor,
  refSchema: () => SpeechConfigSchema,
  runner: speechRunner,
});

/** Internals for unit tests only; not part of the module's API. */
export const TEST_ONLY = { audioTypeOf };
