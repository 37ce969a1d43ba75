/**
 * What the emulator needs to answer a text-generation model, from the
 * model's published definition (its input and output schemas and
 * properties), plus the few answer-shape facts a definition does not state,
 * each with its source. Nothing here judges a request: the published input
 * schema does (see `judge.ts`).
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { PUBLISHED_SCHEMAS } from "../definitions/schemas.ts";
import { isObject } from "./util.ts";

/** What answering one text model needs. */
export interface TextFacts {
  /** Model id. */
  readonly id: string;
  /** Whether its input is an OpenAI Chat Completions body (tools in the OpenAI form only). */
  readonly openaiInput: boolean;
  /** Whether its `/ai/run` answer is an OpenAI `chat.completion`. */
  readonly completionOutput: boolean;
  /** Whether it returns reasoning text. */
  readonly reasoning: boolean;
  /** Whether it takes LoRA adapters (published `lora` property). */
  readonly lora: boolean;
}

/**
 * Models that reason although their definitions publish no `reasoning`
 * property: gpt-oss (reasoning "cannot be disabled", `@cloudflare/workers-types`
 * and Cloudflare's changelog), QwQ, Qwen3 30B and DeepSeek R1 Distill (their
 * model cards: the answer opens with a `<think>` block).
 */
const ALSO_REASONING: ReadonlySet<string> = new Set([
  "@cf/openai/gpt-oss-120b",
  "@cf/openai/gpt-oss-20b",
  "@cf/qwen/qwq-32b",
  "@cf/qwen/qwen3-30b-a3b-fp8",
  "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b",
]);

/**
 * Decision models listed under Text Generation whose input is not a chat
 * (`{ model, state, questions }`): the text task does not serve them.
 */
const NOT_CHAT: ReadonlySet<string> = new Set([
  "@cf/cloudflare/clef",
  "@cf/cloudflare/clef-flash",
  "@cf/cloudflare/clef-omni",
]);

/** A schema and its `oneOf` / `anyOf` branches, deep. */
function levels(schema: unknown): Record<string, unknown>[] {
  if (!isObject(schema)) return [];
  const branches = [
    ...(Array.isArray(schema.oneOf) ? schema.oneOf : []),
    ...(Array.isArray(schema.anyOf) ? schema.anyOf : []),
  ];
  return [schema, ...branches.flatMap(levels)];
}

/** The top-level property names of a schema, over its branches. */
function keysOf(schema: unknown): Set<string> {
  return new Set(
    levels(schema).flatMap((s) => isObject(s.properties) ? Object.keys(s.properties) : []),
  );
}

const cache = new Map<string, TextFacts | undefined>();

/**
 * The facts of a text-generation model the emulator serves: one with a
 * published Text Generation definition and a chat input (`messages`,
 * `prompt` or a Responses `input`). `undefined` for any other id.
 */
export function textFacts(id: string): TextFacts | undefined {
  if (cache.has(id)) return cache.get(id);
  let facts: TextFacts | undefined;
  const published = Object.hasOwn(PUBLISHED_SCHEMAS, id) ? PUBLISHED_SCHEMAS[id] : undefined;
  // qwen3.8-27b is filed under Image-Text-to-Text, with a chat input like the others.
  const chatTask = published?.task === "Text Generation" ||
    published?.task === "Image-Text-to-Text";
  if (chatTask && !NOT_CHAT.has(id)) {
    const input = keysOf(published.input);
    // No input schema is published for a few models (apertus, eurollm): they are served
    // unjudged, answered as Chat Completions like the newer function-calling models (an
    // assumption, not a published fact).
    const schemaless = !isObject(published.input) || Object.keys(published.input).length === 0;
    if (schemaless || input.has("messages") || input.has("prompt") || input.has("input")) {
      // OpenAI-style inputs name tool_choice or reasoning_effort; gpt-oss takes a Responses `input`.
      const openaiInput = schemaless || input.has("tool_choice") ||
        input.has("reasoning_effort") || input.has("input");
      const model = publishedModel(id);
      facts = {
        id,
        openaiInput,
        completionOutput: openaiInput || keysOf(published.output).has("choices"),
        reasoning: model?.reasoning === true || ALSO_REASONING.has(id),
        lora: model?.lora === true,
      };
    }
  }
  cache.set(id, facts);
  return facts;
}

/** Every text model the emulator serves, in id order. */
export function textModelIds(): string[] {
  return Object.keys(PUBLISHED_SCHEMAS).filter((id) => textFacts(id) !== undefined).sort();
}
