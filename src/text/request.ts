/**
 * The request body of a text model: messages, sampling parameters, tools
 * and tool choice, and JSON mode in the model's own mechanism.
 *
 * @module
 */
import type { GenerateRequest, ToolDefinition } from "genkit/model";
import { invalidArgument as invalid } from "../errors.ts";
import type { TextModelSpec } from "./catalog.ts";
import { HANDLED, type TextConfig } from "./config.ts";
import { textOptions } from "./derive.ts";
import { toWireMessages } from "./messages.ts";

/** Workers AI requires `type` and `description` on every tool parameter; fill what the schema lacks. */
function toolParameters(
  schema: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const s = { ...(schema ?? {}) };
  if (s.type === undefined) s.type = "object";
  const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
  const filled: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(props)) {
    const p = { ...prop };
    if (p.type === undefined) p.type = inferType(p);
    if (p.description === undefined) p.description = name;
    filled[name] = p;
  }
  s.properties = filled;
  delete s.$schema;
  return s;
}

function inferType(p: Record<string, unknown>): string {
  const alts = (p.anyOf ?? p.oneOf) as Record<string, unknown>[] | undefined;
  const first = alts?.find((a) => typeof a.type === "string" && a.type !== "null");
  if (first) return first.type as string;
  if (Array.isArray(p.enum) && p.enum.every((e) => typeof e === "number")) return "number";
  if (p.properties) return "object";
  if (p.items) return "array";
  return "string";
}

function toWireTools(tools: ToolDefinition[]): unknown[] {
  return tools.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      description: t.description,
      parameters: toolParameters(t.inputSchema as Record<string, unknown> | undefined),
    },
  }));
}

/**
 * Models on which `tool_choice: "required"` only advises ("fails open", as
 * Cloudflare's provider found on QwQ and Gemma 4): with several tools it
 * cannot be honoured, and is refused rather than silently ignored.
 */
const REQUIRED_FAILS_OPEN = new Set(["@cf/qwen/qwq-32b", "@cf/google/gemma-4-26b-a4b-it"]);

function toolChoice(
  spec: TextModelSpec,
  choice: "auto" | "required" | "none",
  tools: ToolDefinition[],
): unknown {
  if (choice === "required") {
    if (tools.length === 0) {
      throw invalid(`toolChoice "required" for ${spec.id} needs at least one tool.`);
    }
    // Forcing the function by name is the one form every model honours.
    if (tools.length === 1) return { type: "function", function: { name: tools[0].name } };
    if (REQUIRED_FAILS_OPEN.has(spec.id)) {
      throw invalid(
        `toolChoice "required" cannot be enforced by ${spec.id} with ${tools.length} tools ` +
          '(the model treats it as "auto"). Offer only the tool it must call, or use another model.',
      );
    }
  }
  return choice;
}

/** Inlines local `$ref`s (`#/definitions/...`, `#/$defs/...`) and drops `$schema`: Workers AI takes bare schemas. */
function inlineRefs(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = {
    ...(schema.definitions as Record<string, unknown> | undefined),
    ...(schema.$defs as Record<string, unknown> | undefined),
  };
  const walk = (node: unknown, depth: number): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, depth));
    if (!node || typeof node !== "object") return node;
    const o = node as Record<string, unknown>;
    if (typeof o.$ref === "string") {
      const name = o.$ref.replace(/^#\/(definitions|\$defs)\//, "");
      if (depth > 32 || !(name in defs)) {
        throw invalid(`The output schema has a $ref that cannot be inlined: ${o.$ref}.`);
      }
      return walk(defs[name], depth + 1);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === "$schema" || k === "definitions" || k === "$defs") continue;
      out[k] = walk(v, depth);
    }
    return out;
  };
  return walk(schema, 0) as Record<string, unknown>;
}

/**
 * The body fields that ask for JSON output, in the model's own mechanism:
 * `response_format` with a bare schema on native models, `guided_json` on
 * mistral-small-3.1 / QwQ, the OpenAI `json_schema` envelope on OpenAI-format
 * models. Workers AI JSON mode cannot stream: streaming requests go the
 * instructed way instead (see `defineTextModel`).
 */
function jsonMode(
  spec: TextModelSpec,
  request: GenerateRequest,
  stream: boolean,
): Record<string, unknown> | undefined {
  const output = request.output;
  if (!output?.constrained || stream || spec.json === "none") return undefined;
  const schema = output.schema ? inlineRefs(output.schema) : undefined;
  switch (spec.json) {
    case "response_format":
      return {
        response_format: schema
          ? { type: "json_schema", json_schema: schema }
          : { type: "json_object" },
      };
    case "guided_json":
      return { guided_json: schema ?? { type: "object" } };
    case "openai":
      return {
        response_format: schema
          ? { type: "json_schema", json_schema: { name: "output", schema, strict: true } }
          : { type: "json_object" },
      };
  }
}

/** The body fields of the config values set: each option under its published name, then keys sent verbatim. */
function configFields(spec: TextModelSpec, config: TextConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const c = config as Record<string, unknown>;
  for (const o of textOptions(spec)) {
    if (c[o.key] !== undefined && c[o.key] !== null) out[o.wire] = c[o.key];
  }
  if (spec.stop && config.stopSequences?.length) out.stop = config.stopSequences;
  // Keys that name a field of the model's published input go verbatim
  // (`validateConfig` refused every other one).
  for (const [k, v] of Object.entries(c)) if (!HANDLED.has(k) && v !== undefined) out[k] = v;
  return out;
}

/**
 * The body of a request with a LoRA adapter to a model whose published
 * definition takes `lora` only in its prompt input: that input, with the
 * single user prompt (the server applies the chat template unless `raw`).
 * Anything that input cannot carry is refused.
 */
function loraPromptBody(
  spec: TextModelSpec,
  request: GenerateRequest,
  fields: Record<string, unknown>,
  stream: boolean,
): Record<string, unknown> {
  const [only, ...more] = request.messages;
  const textOnly = only?.role === "user" && more.length === 0 &&
    only.content.every((p) => typeof p.text === "string");
  const takes = new Set(spec.promptFields);
  const extra = Object.keys(fields).filter((k) => !takes.has(k));
  if (!textOnly || (request.tools ?? []).length > 0 || extra.length > 0) {
    throw invalid(
      `${spec.id} takes a LoRA adapter only with a single prompt (its published chat input has ` +
        "no lora field): send one user message of text, without system, history, tools or " +
        `images${
          extra.length ? ` and without ${extra.join(", ")}` : ""
        }, or leave config.lora out.`,
    );
  }
  const body: Record<string, unknown> = {
    prompt: only.content.map((p) => p.text).join("\n\n"),
    ...fields,
  };
  if (stream) body.stream = true;
  return body;
}

/**
 * Builds the request body for one Genkit request, refusing what the model
 * cannot take: only what the model's published input names goes on the
 * wire. With `acceptRemote`, `http(s)` images are let through (see
 * {@link toWireMessages}): the body then only validates the request.
 */
export function toWireBody(
  spec: TextModelSpec,
  request: GenerateRequest,
  config: TextConfig,
  stream: boolean,
  acceptRemote = false,
): Record<string, unknown> {
  const fields = configFields(spec, config);
  const json = jsonMode(spec, request, stream);
  if (config.lora !== undefined && spec.loraInput === "prompt") {
    const body = loraPromptBody(spec, request, { ...fields, ...json }, stream);
    return body;
  }
  const { messages, image } = toWireMessages(spec, request.messages, acceptRemote);
  const body: Record<string, unknown> = { messages };
  if (image !== undefined) body.image = image;
  Object.assign(body, fields);
  let tools = request.tools ?? [];
  if (tools.length > 0 && !spec.tools) {
    throw invalid(
      `${spec.id} does not support tool calling (its published definition has no function ` +
        `calling), but ${tools.length} tool(s) were given. Use a model with tools, such as ` +
        "@cf/meta/llama-3.3-70b-instruct-fp8-fast.",
    );
  }
  const choice = request.toolChoice;
  if (choice && !spec.toolChoice && (tools.length > 0 || choice === "required")) {
    // No tool_choice field in the published input: "auto" is the model's own
    // behaviour, "none" is met by not offering the tools; "required" cannot be.
    if (choice === "required") {
      throw invalid(
        `toolChoice "required" cannot be sent to ${spec.id}: its published input has no ` +
          "tool_choice field. Leave toolChoice out, or use a model that takes it, such as " +
          "@cf/zai-org/glm-4.7-flash.",
      );
    }
    if (choice === "none") tools = [];
  }
  if (tools.length > 0) body.tools = toWireTools(tools);
  if (spec.toolChoice && choice && (tools.length > 0 || choice === "required")) {
    body.tool_choice = toolChoice(spec, choice, tools);
  }
  if (json) Object.assign(body, json);
  if (stream) {
    body.stream = true;
    if (spec.fields.includes("stream_options")) body.stream_options = { include_usage: true };
  }
  return body;
}
