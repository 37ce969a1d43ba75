/**
 * Genkit messages to Workers AI chat messages: roles, text boundaries, the
 * parts each role may carry, images as content parts or the `image` field.
 *
 * @module
 */
import type { MessageData, Part } from "genkit";
import { isRemoteUrl } from "../downloads/download.ts";
import { invalidArgument as invalid } from "../errors.ts";
import type { TextModelSpec } from "./catalog.ts";
import { newCallId } from "./tool_calls.ts";

// ---------------------------------------------------------------------------
// Request translation

/** A Workers AI chat message. */
export interface WireMessage {
  role: string;
  content: string | WireContentPart[] | null;
  tool_calls?: WireToolCall[];
  tool_call_id?: string;
  name?: string;
}

/** An OpenAI-style content part (text or image). */
export type WireContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } };

/** A tool call as sent back to Workers AI in the history. */
export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

const ROLE: Readonly<Record<string, string>> = {
  system: "system",
  user: "user",
  model: "assistant",
  tool: "tool",
};

/** The content fields of Genkit parts, in the order a part's kind is read. */
const PART_KINDS = [
  "text",
  "media",
  "toolRequest",
  "toolResponse",
  "reasoning",
  "data",
  "custom",
  "resource",
] as const;

/** The kind of a Genkit part: the name of its content field ("empty" if none). */
function partKind(p: Part): string {
  const fields = p as Record<string, unknown>;
  for (const k of PART_KINDS) if (fields[k] !== undefined) return k;
  return "empty";
}

/** Why a part of each kind is refused outside the messages that may carry it. */
const PART_ADVICE: Readonly<Record<string, string>> = {
  toolRequest: "tool requests belong in model messages",
  toolResponse: "tool responses belong in tool messages",
  reasoning: "reasoning belongs in model messages; give the model text instead",
  data: "Workers AI takes no data parts; pass the data as text (e.g. JSON.stringify it)",
  custom: "Workers AI takes no custom parts (they belong to another plugin); remove it",
  resource: "Workers AI takes no resource parts; pass their content as text or media",
  empty: "the part has no content; remove it",
};

/**
 * The parts of message `i` that are sent, in order. Refuses a part the model
 * cannot take in a message of that role, rather than dropping it silently.
 * Two kinds are dropped from model messages: reasoning, as Genkit's other
 * plugins do (the native wire has no field for past reasoning), and `data`
 * beside text (this plugin's JSON answers carry their parsed text as one).
 */
function sentParts(spec: TextModelSpec, m: MessageData, i: number): Part[] {
  let hasText: boolean | undefined;
  let out: Part[] | undefined;
  const content = m.content;
  for (let j = 0; j < content.length; j++) {
    const p = content[j];
    const kind = partKind(p);
    let advice: string | undefined;
    let dropped = false;
    if (m.role === "tool") {
      if (kind !== "toolResponse") advice = "a tool message carries only toolResponse parts";
    } else if (kind === "reasoning" && m.role === "model") dropped = true;
    else if (kind === "data" && m.role === "model") {
      hasText ??= content.some((q) => typeof q.text === "string" && q.text !== "");
      dropped = hasText;
      if (!hasText) advice = PART_ADVICE.data;
    } else if (kind === "toolRequest") {
      if (m.role !== "model") advice = PART_ADVICE.toolRequest;
    } else if (kind !== "text" && kind !== "media") advice = PART_ADVICE[kind];
    if (advice) {
      throw invalid(`${spec.id} cannot take the ${kind} part in ${where(m, i)}: ${advice}.`);
    }
    if (dropped) {
      // The parts sent are the ones before this one, then those kept after it.
      out ??= content.slice(0, j);
    } else if (out) out.push(p);
  }
  // Nothing dropped (the common case): the message's own parts, not a copy.
  const sent = out ?? content;
  if (sent.length === 0) {
    throw invalid(
      `${where(m, i)} has no content ${spec.id} can take (reasoning in model messages is not ` +
        "sent back). Give it a text part, or leave the message out.",
    );
  }
  return sent;
}

/** How message `i` is named in messages. */
function where(m: MessageData, i: number): string {
  return `messages[${i}] (${m.role})`;
}

/**
 * Genkit messages to Workers AI `messages` (plus a top-level `image` for
 * models that take one). With `acceptRemote`, `http(s)` images are let
 * through unchecked, for validating a request before they are downloaded.
 */
export function toWireMessages(
  spec: TextModelSpec,
  messages: MessageData[],
  acceptRemote = false,
): { messages: WireMessage[]; image?: string } {
  const out: WireMessage[] = [];
  let image: string | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const role = ROLE[m.role];
    const parts = sentParts(spec, m, i);
    if (m.role === "tool") {
      for (const { toolResponse: r } of parts) {
        out.push({
          role: "tool",
          tool_call_id: r!.ref ?? r!.name,
          name: r!.name,
          content: typeof r!.output === "string" ? r!.output : JSON.stringify(r!.output ?? null),
        });
      }
      continue;
    }
    let media: Part[] | undefined;
    let calls: Part[] | undefined;
    // Separate text parts (the caller's, Genkit's output instructions) keep a
    // boundary: a blank line in string content.
    let text: string | undefined;
    for (const p of parts) {
      if (p.media) (media ??= []).push(p);
      if (p.toolRequest) (calls ??= []).push(p);
      if (p.text) text = text === undefined ? p.text : `${text}\n\n${p.text}`;
    }
    text ??= "";
    if (media) {
      if (spec.vision === "none") {
        throw invalid(
          `${spec.id} does not take images, but the ${m.role} message has ${media.length} media part(s). ` +
            "Use a vision model such as @cf/google/gemma-4-26b-a4b-it.",
        );
      }
      if (m.role !== "user") {
        throw invalid(`${spec.id} takes images only in user messages, not in ${m.role} messages.`);
      }
      const url = (p: Part) => checkImage(spec, p.media!.url, p.media!.contentType, acceptRemote);
      if (spec.vision === "image-field") {
        if (media.length > 1 || image !== undefined) {
          throw invalid(
            `${spec.id} takes a single image per request; ${
              media.length + (image === undefined ? 0 : 1)
            } or more were given.`,
          );
        }
        image = url(media[0]);
        out.push({ role, content: text });
      } else {
        // Content parts in the caller's order, each text its own part.
        const content: WireContentPart[] = [];
        for (const p of parts) {
          if (p.media) content.push({ type: "image_url", image_url: { url: url(p) } });
          else if (p.text) content.push({ type: "text", text: p.text });
        }
        out.push({ role, content });
      }
      continue;
    }
    const msg: WireMessage = { role, content: text };
    if (calls) {
      msg.tool_calls = calls.map((p) => ({
        id: p.toolRequest!.ref ?? newCallId(),
        type: "function",
        function: {
          name: p.toolRequest!.name,
          arguments: JSON.stringify(p.toolRequest!.input ?? {}),
        },
      }));
    }
    out.push(msg);
  }
  return image === undefined ? { messages: out } : { messages: out, image };
}

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/jpg", "image/webp", "image/gif"]);

function checkImage(
  spec: TextModelSpec,
  url: string,
  contentType: string | undefined,
  acceptRemote: boolean,
): string {
  // Its type is known only once it is downloaded; it is checked again then.
  if (acceptRemote && isRemoteUrl(url)) return url;
  const m = /^data:([^;,]+)[;,]/.exec(url);
  if (!m) {
    throw invalid(
      `${spec.id} takes images only as data: URLs (Workers AI does not fetch URLs); got ${
        url.slice(0, 40)
      }… Download the image first.`,
    );
  }
  const type = (contentType ?? m[1]).toLowerCase();
  if (!IMAGE_TYPES.has(type)) {
    throw invalid(
      `${spec.id} cannot take media of type ${type}; it takes PNG, JPEG, WebP or GIF images.`,
    );
  }
  return url;
}
