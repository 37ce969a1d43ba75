/**
 * What the single-answer task families (translation, classification, object
 * detection, image-to-text, turn detection) share: their config check (over
 * the option tables of `wire_options.ts`), the prompt they take, their
 * capabilities and their answers.
 *
 * @module
 */
import type { GenkitError, Part } from "genkit";
import type { GenerateRequest, GenerateResponseData, ModelInfo } from "genkit/model";
import { malformed } from "./client/answer.ts";
import { invalidArgument as invalid } from "./errors.ts";
import { displayLabel } from "./labels.ts";
import { declaredType, mayBeKind, type MediaKind, type PromptMedia, singleTurn } from "./media.ts";
import { configObject, type WireOption, wireValues } from "./wire_options.ts";

/** Checked config: the values given, by camelCase key and by wire name. */
export interface CheckedConfig {
  /** The values given, by config key. */
  values: Record<string, unknown>;
  /** The same values, by the body field each is sent as. */
  wire: Record<string, unknown>;
}

/**
 * Checks a request's config against the model's option table (Genkit does
 * not validate config): a key the model does not take, a value out of range
 * or a missing `required` key is refused with `INVALID_ARGUMENT`, naming the
 * model; `notes` gives the reason a key is refused where there is one.
 */
export function checkConfig(
  model: string,
  options: readonly WireOption[],
  config: unknown,
  { required = [], notes = {} }: { required?: string[]; notes?: Record<string, string> } = {},
): CheckedConfig {
  const values = configObject(model, config);
  const wire = wireValues(model, options, values, notes);
  for (const key of required) {
    if (values[key] === undefined) {
      const o = options.find((x) => x.key === key);
      throw invalid(
        `${model} needs config.${key} (${o?.description ?? key}); the request has none.`,
      );
    }
  }
  return { values, wire };
}

/** What a task model takes in its one user message. */
export interface PromptShape {
  /** Whether text is required, allowed, or refused. */
  text: "required" | "optional" | "none";
  /** The media it takes: exactly one part of this kind, or none at all. */
  media?: MediaKind;
  /** What the model takes, for messages: `"one image and an optional question"`. */
  takes: string;
}

/** A task model's prompt: its text and its one media part, if it takes one. */
export interface TaskPrompt {
  /** The text parts, joined by a blank line ("" when there are none). */
  text: string;
  /** The media part, when the model takes one. */
  media?: PromptMedia;
}

/**
 * The prompt of a request to a task model (already through the single-turn
 * check every such model shares), refused with `INVALID_ARGUMENT`, naming
 * the model and what it takes, when it is missing or extra text, or media of
 * the wrong kind or number.
 */
export function taskPrompt(
  model: string,
  request: GenerateRequest,
  shape: PromptShape,
): TaskPrompt {
  const takes = `${model} takes ${shape.takes}`;
  const { text, media } = singleTurn(model, request);
  if (!shape.media && media.length > 0) {
    throw invalid(`${takes}, and no media: remove the media part.`);
  }
  if (shape.media && media.length !== 1) {
    throw invalid(`${takes}; the prompt has ${media.length} media parts.`);
  }
  if (shape.media && !mayBeKind(media[0], shape.media)) {
    throw invalid(`${takes}; the media part is ${declaredType(media[0]) ?? "of no media type"}.`);
  }
  if (shape.text === "required" && text.trim() === "") {
    throw invalid(`${takes}; the prompt has no text.`);
  }
  if (shape.text === "none" && text !== "") {
    throw invalid(`${takes}, and no text: remove the text.`);
  }
  if (!shape.media) return { text };
  return { text, media: media[0] };
}

/** The capabilities of a task model: single-turn, no tools, no system role. */
export function taskModelInfo(
  label: string,
  media: boolean,
  output: string[],
  beta = false,
): ModelInfo {
  return {
    label: displayLabel(label),
    stage: beta ? "unstable" : "stable",
    supports: {
      multiturn: false,
      systemRole: false,
      media,
      tools: false,
      toolChoice: false,
      output,
      constrained: "none",
    },
  };
}

/** A finished answer of `content`. */
export function answer(
  content: Part[],
  extra: Omit<GenerateResponseData, "message"> = {},
): GenerateResponseData {
  return { finishReason: "stop", ...extra, message: { role: "model", content } };
}

/** An answer of the wrong shape: `INTERNAL`, naming the model, what came and what was expected. */
export function unexpected(model: string, got: string, expected: string): GenkitError {
  return malformed(model, `${got} (expected ${expected})`);
}
