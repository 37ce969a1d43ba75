/**
 * Request bodies: read as bytes, told apart by `content-type` (JSON, a
 * `multipart/form-data` form, or raw bytes), and what of them is recorded.
 *
 * @module
 */

import type { TaskBody } from "./task_contract.ts";
import type { RecordedFile, RecordedFormField, RecordedRequest } from "./types.ts";

/** A request body as read: what tasks get, and what is recorded of it. */
interface ReadBody {
  /** The body as tasks receive it. */
  body: TaskBody;
  /** Whether it was meant as JSON but is not valid JSON. */
  malformed: boolean;
  /** The recorded fields describing it. */
  record: Pick<RecordedRequest, "contentType" | "body" | "bytes" | "form">;
}

/**
 * Media types read as JSON besides `application/json` and `+json`: what
 * clients send for a string body without naming a type (`fetch` sends
 * `text/plain`, `curl -d` form encoding); Workers AI reads those as JSON.
 */
const ALSO_JSON: ReadonlySet<string> = new Set(["text/plain", "application/x-www-form-urlencoded"]);

/** The media type of a `content-type` value: lower case, without parameters. */
function mediaType(header: string | null): string | undefined {
  const type = header?.split(";", 1)[0].trim().toLowerCase();
  return type ? type : undefined;
}

function isJsonType(type: string): boolean {
  return type === "application/json" || type.endsWith("+json") || ALSO_JSON.has(type);
}

function fileRecord(file: File): RecordedFile {
  return { type: file.type, size: file.size, ...(file.name ? { name: file.name } : {}) };
}

/** The recorded form of a form: each field by name, an array when a name repeats. */
function formRecord(form: FormData): Record<string, RecordedFormField | RecordedFormField[]> {
  const out: Record<string, RecordedFormField | RecordedFormField[]> = {};
  for (const [name, value] of form) {
    const field = typeof value === "string" ? value : fileRecord(value);
    const seen = Object.hasOwn(out, name) ? out[name] : undefined;
    const next = seen === undefined
      ? field
      : Array.isArray(seen)
      ? [...seen, field]
      : [seen, field];
    // defineProperty, so that a field named `__proto__` is a field like any other.
    Object.defineProperty(out, name, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

async function bytesOf(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array();
  try {
    return new Uint8Array(await request.arrayBuffer());
  } catch {
    return new Uint8Array();
  }
}

/** Reads a request's body and tells apart what it is. */
export async function readBody(request: Request): Promise<ReadBody> {
  const header = request.headers.get("content-type");
  const contentType = mediaType(header);
  const typed = contentType === undefined ? {} : { contentType };
  const bytes = await bytesOf(request);
  if (contentType === undefined || isJsonType(contentType)) {
    let value: unknown = undefined;
    let malformed = false;
    if (bytes.length > 0) {
      try {
        value = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        malformed = true;
      }
    }
    return { body: { kind: "json", value }, malformed, record: { ...typed, body: value } };
  }
  const raw = { ...typed, body: undefined, bytes: bytes.length };
  if (contentType === "multipart/form-data") {
    try {
      const headers = { "content-type": header ?? contentType };
      const form = await new Response(bytes, { headers }).formData();
      return {
        body: { kind: "form", form },
        malformed: false,
        record: { ...raw, form: formRecord(form) },
      };
    } catch {
      // Not a parsable form (no boundary, cut short): the bytes as they came.
    }
  }
  return {
    body: { kind: "bytes", bytes, contentType },
    malformed: false,
    record: raw,
  };
}
