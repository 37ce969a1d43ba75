/**
 * Function calling: validation of `tools`, `tool_choice` and of tool-call
 * history, and the deterministic choice of the calls a model makes.
 *
 * @module
 */

import { ApiError, badInput } from "./errors.ts";
import { synthArguments } from "./schema.ts";
import { contentText, hex8, isObject, typeName } from "./util.ts";

/** A tool offered in a request. */
export interface ToolDef {
  /** Function name. */
  name: string;
  /** JSON Schema of its arguments, if any. */
  parameters?: Record<string, unknown>;
}

/** A validated `tool_choice`. */
type ToolChoice =
  | { kind: "auto" | "none" | "required" }
  | { kind: "named"; name: string };

/** A call the model decided to make. */
export interface PlannedCall {
  /** Tool name. */
  name: string;
  /** Arguments, as an object. */
  arguments: Record<string, unknown>;
}

/** Mistral Small 3.1 wants 9-character alphanumeric tool call ids. */
const MISTRAL_MODEL = "@cf/mistralai/mistral-small-3.1-24b-instruct";
const MISTRAL_ID = /^[a-zA-Z0-9]{9}$/;
const MISTRAL_HINT = "tool_call_id Must be supplied for tool calls for Mistral-3 " +
  "(a string of 9 letters or digits, e.g. 000000001)";

/** The 8001 error vLLM-backed models answer an unsupported `tool_choice` with. */
function invalidInput(): ApiError {
  return new ApiError(400, 8001, "Invalid input");
}

/**
 * Validates `tools`. Both the flat `{name, description, parameters}` form and
 * the OpenAI `{type: "function", function}` form are accepted from native
 * input; OpenAI input (OpenAI-family models, `/ai/v1/chat/completions`) takes
 * only the OpenAI form. Native-family models require `parameters` with `type`
 * and `properties`, and `type` and `description` on every property.
 */
export function parseTools(
  value: unknown,
  openaiModel: boolean,
  openaiInput: boolean,
): ToolDef[] {
  if (!Array.isArray(value)) {
    throw badInput(`Type mismatch of '/tools', '${typeName(value)}' not in 'array'`);
  }
  const strict = !openaiModel;
  return value.map((tool, i) => {
    const at = `/tools/${i}`;
    if (!isObject(tool)) {
      throw badInput(`Type mismatch of '${at}', '${typeName(tool)}' not in 'object'`);
    }
    let fn: Record<string, unknown>;
    let fnAt: string;
    if (tool.function !== undefined || (openaiInput && tool.type !== undefined)) {
      if (tool.type !== "function" || !isObject(tool.function)) {
        throw badInput(`required properties at '${at}' are 'type', 'function'`);
      }
      fn = tool.function;
      fnAt = `${at}/function`;
    } else {
      if (openaiInput) throw badInput(`required properties at '${at}' are 'type', 'function'`);
      fn = tool;
      fnAt = at;
    }
    if (typeof fn.name !== "string" || fn.name === "") {
      throw badInput(`required properties at '${fnAt}' are 'name'`);
    }
    const params = fn.parameters;
    if (params === undefined) {
      if (strict) throw badInput(`required properties at '${fnAt}' are 'name', 'parameters'`);
      return { name: fn.name };
    }
    if (!isObject(params)) {
      throw badInput(
        `Type mismatch of '${fnAt}/parameters', '${typeName(params)}' not in 'object'`,
      );
    }
    if (strict) {
      if (params.type === undefined || params.properties === undefined) {
        throw badInput(`required properties at '${fnAt}/parameters' are 'type', 'properties'`);
      }
      if (!isObject(params.properties)) {
        throw badInput(
          `Type mismatch of '${fnAt}/parameters/properties', '${
            typeName(params.properties)
          }' not in 'object'`,
        );
      }
      for (const [key, prop] of Object.entries(params.properties)) {
        if (!isObject(prop) || prop.type === undefined || prop.description === undefined) {
          throw badInput(
            `required properties at '${fnAt}/parameters/properties/${key}' are 'type', 'description'`,
          );
        }
      }
    }
    return { name: fn.name, parameters: params };
  });
}

/**
 * Validates `tool_choice`: `"auto"`, `"none"`, `"required"` or
 * `{type: "function", function: {name}}` naming an offered tool; anything
 * else is a 400 with code 8001.
 */
export function parseToolChoice(value: unknown, tools: ToolDef[]): ToolChoice {
  if (value === undefined) return { kind: "auto" };
  if (value === "auto" || value === "none" || value === "required") return { kind: value };
  if (
    isObject(value) && value.type === "function" && isObject(value.function) &&
    typeof value.function.name === "string"
  ) {
    const name = value.function.name;
    if (!tools.some((t) => t.name === name)) throw invalidInput();
    return { kind: "named", name };
  }
  throw invalidInput();
}

/** The name of a tool call entry of an assistant message (OpenAI or flat form). */
function callName(call: Record<string, unknown>): unknown {
  return isObject(call.function) ? call.function.name : call.name;
}

/**
 * Validates the tool-call history: assistant `tool_calls` entries and, for
 * every `role: "tool"` message, a `tool_call_id` naming a call of an earlier
 * assistant message (for Mistral Small 3.1 also 9 letters or digits).
 * Returns the name of each known call id.
 */
export function validateToolHistory(
  messages: Record<string, unknown>[],
  model: string,
  openaiInput: boolean,
): Map<string, string> {
  const known = new Map<string, string>();
  messages.forEach((m, i) => {
    if (m.role === "assistant" && m.tool_calls !== undefined && m.tool_calls !== null) {
      const calls = m.tool_calls;
      if (!Array.isArray(calls)) {
        throw badInput(
          `Type mismatch of '/messages/${i}/tool_calls', '${typeName(calls)}' not in 'array'`,
        );
      }
      calls.forEach((call, j) => {
        const at = `/messages/${i}/tool_calls/${j}`;
        if (!isObject(call)) {
          throw badInput(`Type mismatch of '${at}', '${typeName(call)}' not in 'object'`);
        }
        const fnAt = isObject(call.function) ? `${at}/function` : at;
        const fn = isObject(call.function) ? call.function : call;
        const name = callName(call);
        if (typeof name !== "string") {
          throw badInput(`required properties at '${fnAt}' are 'name', 'arguments'`);
        }
        const args = fn.arguments;
        if (typeof args === "string") {
          try {
            JSON.parse(args);
          } catch {
            throw badInput(`String at '${fnAt}/arguments' is not valid JSON`);
          }
        } else if (openaiInput || (args !== undefined && !isObject(args))) {
          throw badInput(
            `Type mismatch of '${fnAt}/arguments', '${typeName(args)}' not in 'string'`,
          );
        }
        if (typeof call.id === "string") known.set(call.id, name);
      });
    }
    if (m.role === "tool") {
      const id = m.tool_call_id;
      const mistral = model === MISTRAL_MODEL;
      if (typeof id !== "string") {
        throw badInput(
          `required properties at '/messages/${i}' are 'tool_call_id'` +
            (mistral ? `: ${MISTRAL_HINT}` : ""),
        );
      }
      if (mistral && !MISTRAL_ID.test(id)) {
        throw badInput(
          `String at '/messages/${i}/tool_call_id' does not match pattern ` +
            `'^[a-zA-Z0-9]{9}$': ${MISTRAL_HINT}`,
        );
      }
      if (!known.has(id)) {
        throw badInput(
          `tool_call_id '${id}' at '/messages/${i}' matches no tool call of an earlier ` +
            "assistant message",
        );
      }
    }
  });
  return known;
}

/**
 * The answer to trailing tool results: `Tool results: <name>=<content>; ...`
 * over the tool messages at the end of the conversation, or `undefined` when
 * the last message is not a tool result.
 */
export function toolResultsText(
  messages: Record<string, unknown>[],
  known: Map<string, string>,
): string | undefined {
  let start = messages.length;
  while (start > 0 && messages[start - 1].role === "tool") start--;
  if (start === messages.length) return undefined;
  const parts = messages.slice(start).map((m) => {
    const name = typeof m.name === "string"
      ? m.name
      : known.get(m.tool_call_id as string) ?? "unknown";
    const c = m.content;
    const text = typeof c === "string" || Array.isArray(c)
      ? contentText(c)
      : c === null || c === undefined
      ? ""
      : JSON.stringify(c);
    return `${name}=${text}`;
  });
  return `Tool results: ${parts.join("; ")}`;
}

/** Index of `name` in `text` as a whole word (not touching letters, digits, `_` or `-`). */
function nameIndex(text: string, name: string): number {
  const word = /[A-Za-z0-9_-]/;
  let from = 0;
  while (true) {
    const i = text.indexOf(name, from);
    if (i < 0) return -1;
    const before = i === 0 ? "" : text[i - 1];
    const after = text[i + name.length] ?? "";
    if (!word.test(before) && !word.test(after)) return i;
    from = i + 1;
  }
}

/**
 * The calls the model makes: none unless there are tools, `tool_choice` is
 * not `"none"` and the last message is from the user. Then the named tool of
 * a `{type: "function"}` choice; otherwise every tool whose name appears in
 * the user text, in order of appearance, or else the first tool.
 */
export function planToolCalls(
  tools: ToolDef[],
  choice: ToolChoice,
  lastIsUser: boolean,
  userText: string,
): PlannedCall[] {
  if (tools.length === 0 || choice.kind === "none" || !lastIsUser) return [];
  const call = (t: ToolDef): PlannedCall => ({
    name: t.name,
    arguments: synthArguments(t.parameters, userText),
  });
  if (choice.kind === "named") return [call(tools.find((t) => t.name === choice.name)!)];
  const named = tools
    .map((t, order) => ({ t, order, at: nameIndex(userText, t.name) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at || a.order - b.order);
  return named.length > 0 ? named.map((x) => call(x.t)) : [call(tools[0])];
}

/**
 * The id of call `index` of a completion: `chatcmpl-tool-<32 hex>`, or for
 * Mistral Small 3.1 nine hex digits and letters (its own id pattern).
 */
export function toolCallId(model: string, completionId: string, index: number): string {
  const seed = `${completionId}:${index}`;
  if (model === MISTRAL_MODEL) return `${hex8(seed)}${index % 10}`;
  return `chatcmpl-tool-${hex8(seed)}${hex8(`${seed}#1`)}${hex8(`${seed}#2`)}${hex8(`${seed}#3`)}`;
}

/** Splits a text into pieces of at most `size` characters (code points). */
export function pieces(text: string, size = 8): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}
