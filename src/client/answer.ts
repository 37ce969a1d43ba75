/**
 * Reading a successful HTTP answer (or a binding's result) into an
 * {@link Outcome}: a JSON envelope's `result`, checked for shape, or raw
 * bytes with their content type.
 *
 * @module
 */
import { GenkitError } from "genkit";
import { envelopeErrors, redact, workersAIError } from "../errors.ts";
import type { Outcome } from "./types.ts";

/** A binding's result, carried as a successful response (see {@link bindingResult}). */
type BindingResult = Response & { readonly result: unknown };

let BindingResultClass: (new (result: unknown) => BindingResult) | undefined;

/**
 * A binding's result object, passed on as a successful response without a
 * JSON round trip (a batch of embeddings is megabytes of numbers). The class
 * is made on the first binding call: a subclass of `Response` at module scope
 * would load the runtime's fetch implementation when the plugin is imported.
 */
export function bindingResult(result: unknown): BindingResult {
  BindingResultClass ??= class extends Response {
    constructor(readonly result: unknown) {
      super(null, { headers: { "content-type": "application/json" } });
    }
  };
  return new BindingResultClass(result);
}

/** Whether a value is a JSON object (not `null`, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How a value's shape is described in a message about a malformed answer: `"an array"`. */
export function shapeOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** An answer of the wrong shape: INTERNAL, naming the model. */
export function malformed(model: string, what: string): GenkitError {
  return new GenkitError({
    status: "INTERNAL",
    message: `Workers AI answered ${model} with ${what}: the answer is malformed. ` +
      "Try again; if it persists, the model's output format may have changed.",
    detail: { model },
  });
}

/** The first `max` characters of a text that was already redacted. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Whether a content type is JSON (`application/json`, `…+json`). */
function isJson(contentType: string): boolean {
  const type = contentType.split(";")[0].trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

/**
 * The `result` of a parsed answer: errors of an envelope (HTTP 200 with
 * `success: false` too) are raised; an answer that is not an object, or an
 * envelope whose `result` is `null`, is malformed.
 */
function resultOf(
  model: string,
  parsed: unknown,
  httpStatus: number | undefined,
  secrets: readonly (string | undefined)[],
): unknown {
  if (!isPlainObject(parsed)) {
    throw malformed(model, `${shapeOf(parsed)} instead of a JSON object`);
  }
  const errors = envelopeErrors(parsed);
  if (errors) throw workersAIError({ model, httpStatus, errors, secrets });
  if (!("result" in parsed && "success" in parsed)) return parsed;
  const result = parsed.result;
  if (result === null || typeof result !== "object") {
    throw malformed(model, `an envelope whose result is ${shapeOf(result)}`);
  }
  return result;
}

/**
 * Reads a successful answer. A JSON answer (by its content type, or any
 * answer when JSON is expected) becomes its `result` (a binding's array too,
 * when a list is expected); anything else, when bytes are expected, becomes
 * bytes with the answer's content type.
 */
export async function readOutcome(
  model: string,
  response: Response,
  expected: "json" | "list" | "bytes",
  secrets: readonly (string | undefined)[],
): Promise<Outcome> {
  if (BindingResultClass !== undefined && response instanceof BindingResultClass) {
    // A binding resolves to the result itself, and for some tasks that is an array.
    if (expected === "list" && Array.isArray(response.result)) {
      return { kind: "json", result: response.result };
    }
    return { kind: "json", result: resultOf(model, response.result, undefined, secrets) };
  }
  if (expected === "bytes") {
    const type = response.headers.get("content-type") ?? "";
    if (!isJson(type)) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      return type ? { kind: "bytes", bytes, contentType: type } : { kind: "bytes", bytes };
    }
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw workersAIError({
      model,
      httpStatus: response.status,
      bodyText: `HTTP ${response.status} with a body that is not valid JSON: ${
        cut(redact(text, secrets), 200)
      }`,
      secrets,
    });
  }
  return { kind: "json", result: resultOf(model, parsed, response.status, secrets) };
}
