/**
 * `toMarkdown`: files turned into Genkit documents by Workers AI's Markdown
 * conversion, over REST (`/ai/tomarkdown`, multipart `files`) or the
 * binding (`env.AI.toMarkdown`); one document per file, in order, and a
 * file the service could not convert reported by name.
 *
 * @module
 */
import { Document, type DocumentData, GenkitError } from "genkit";
import { serviceError, type ServiceTarget, viaServiceBinding } from "../client/api.ts";
import type { WorkersAIClient } from "../client/client.ts";
import type { AiBinding } from "../client/types.ts";
import { invalidArgument } from "../errors.ts";
import { checkConversionOptions, type ConversionOptions } from "./options.ts";

/**
 * A file to convert.
 *
 * @example
 * ```ts
 * import type { MarkdownFile } from "@x/cloudflare-ai";
 *
 * const page: MarkdownFile = { name: "faq.html", data: "<h1>FAQ</h1><p>Ask us.</p>" };
 * const sheet: MarkdownFile = {
 *   name: "prices.csv",
 *   data: new TextEncoder().encode("item,price\ntea,3"),
 *   type: "text/csv",
 * };
 * ```
 */
export interface MarkdownFile {
  /** The file name; its extension tells the service the format when `type` is not given. */
  name: string;
  /** Its content: bytes, a `Blob`, or text (sent as UTF-8). */
  data: Uint8Array | ArrayBuffer | Blob | string;
  /** Its media type, e.g. `application/pdf`. Default: from the name's extension. */
  type?: string;
}

/**
 * Options of `toMarkdown`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ToMarkdownOptions } from "@x/cloudflare-ai";
 *
 * const cf = cloudflareAI();
 * const options: ToMarkdownOptions = { conversionOptions: { html: { cssSelector: "article" } } };
 * const [doc] = await cf.toMarkdown([{ name: "post.html", data: "<article>Hi</article>" }], options);
 * ```
 */
export interface ToMarkdownOptions {
  /** The service's conversion options, checked before the request. */
  conversionOptions?: ConversionOptions;
  /** Aborts the conversion. */
  signal?: AbortSignal;
}

/** The media types of the extensions the service converts (reference §7), plus text formats. */
const TYPES: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  jpeg: "image/jpeg",
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  svg: "image/svg+xml",
  gif: "image/gif",
  bmp: "image/bmp",
  html: "text/html",
  htm: "text/html",
  xml: "application/xml",
  csv: "text/csv",
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
  json: "application/json",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xlsm: "application/vnd.ms-excel.sheet.macroenabled.12",
  xlsb: "application/vnd.ms-excel.sheet.binary.macroenabled.12",
  xls: "application/vnd.ms-excel",
  et: "application/vnd.ms-excel",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odt: "application/vnd.oasis.opendocument.text",
  numbers: "application/vnd.apple.numbers",
};

function typeOf(file: MarkdownFile): string {
  if (file.type !== undefined) return file.type;
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || "application/octet-stream";
}

/** The files as blobs, checked: a non-empty list of named, non-empty files. */
function checkedFiles(files: unknown): { name: string; blob: Blob }[] {
  if (!Array.isArray(files) || files.length === 0) {
    throw invalidArgument(
      "toMarkdown(): files must be a non-empty array of { name, data, type? }; got " +
        (Array.isArray(files) ? "an empty array" : typeof files) + ".",
    );
  }
  return files.map((f: MarkdownFile, i) => {
    const where = `toMarkdown(): files[${i}]`;
    // deno-lint-ignore no-control-regex
    if (typeof f?.name !== "string" || f.name === "" || /[\u0000-\u001f\u007f]/.test(f.name)) {
      throw invalidArgument(`${where} needs a name (a file name such as "report.pdf").`);
    }
    const d = f.data;
    const ok = typeof d === "string" || d instanceof Uint8Array || d instanceof ArrayBuffer ||
      d instanceof Blob;
    if (!ok) {
      throw invalidArgument(`${where} (${f.name}): data must be bytes, a Blob or a string.`);
    }
    if (
      f.type !== undefined && (typeof f.type !== "string" || !/^[\w.+-]+\/[\w.+-]+$/.test(f.type))
    ) {
      throw invalidArgument(`${where} (${f.name}): type must be a media type such as text/html.`);
    }
    const blob = new Blob([d as Uint8Array<ArrayBuffer>], { type: typeOf(f) });
    if (blob.size === 0) {
      throw invalidArgument(`${where} (${f.name}) is empty; nothing to convert.`);
    }
    return { name: f.name, blob };
  });
}

interface Entry {
  name?: string;
  mimeType?: string;
  format?: string;
  tokens?: number | string;
  data?: string;
  error?: string;
}

/**
 * A Genkit `Document` made from a file by `toMarkdown`: its Markdown (or
 * plain) text, and `name`, `type`, `tokens` and `format` in its metadata.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type FileDocument } from "@x/cloudflare-ai";
 *
 * const [doc]: FileDocument[] = await cloudflareAI().toMarkdown([{ name: "a.txt", data: "Hi" }]);
 * console.log(doc.text, doc.metadata?.tokens);
 * ```
 */
export type FileDocument = Document;

/** What `toMarkdown` is made with: the plugin's client and Workers AI binding. */
export interface MarkdownDeps {
  client: WorkersAIClient;
  binding?: AiBinding;
}

/**
 * Converts files to Genkit documents (Markdown text; `name`, `type`,
 * `tokens` and `format` in their metadata), one per file, in order. When
 * the service could not convert some files, throws `INVALID_ARGUMENT`
 * naming each with the service's reason; the documents of the others are in
 * the error's `detail.documents`.
 */
export async function toMarkdown(
  files: MarkdownFile[],
  options: ToMarkdownOptions | undefined,
  deps: MarkdownDeps,
): Promise<Document[]> {
  const checked = checkedFiles(files);
  const conversionOptions = checkConversionOptions(options?.conversionOptions);
  const t: ServiceTarget = {
    service: "Markdown conversion",
    target: checked.length === 1 ? checked[0].name : `${checked.length} files`,
    op: "toMarkdown",
    hints: {
      403: "Give the API token the Workers AI Read and Edit permissions.",
      413: "The files are too large: convert fewer or smaller files per call.",
    },
  };
  const toBind = deps.binding as (AiBinding & { toMarkdown?: unknown }) | undefined;
  let result: unknown;
  if (toBind && typeof toBind.toMarkdown === "function") {
    const run = toBind.toMarkdown as (docs: unknown, o?: unknown) => Promise<unknown>;
    result = await viaServiceBinding(
      t,
      () => run.call(toBind, checked, conversionOptions ? { conversionOptions } : undefined),
      options?.signal,
    );
  } else {
    if (!deps.client.hasAccount) {
      throw new GenkitError({
        status: "FAILED_PRECONDITION",
        message: "toMarkdown(): the Workers AI binding has no toMarkdown() (update the Workers " +
          "runtime and @cloudflare/workers-types), and no account id and API token are set for REST.",
      });
    }
    const form = new FormData();
    for (const f of checked) form.append("files", f.blob, f.name);
    if (conversionOptions) form.append("conversionOptions", JSON.stringify(conversionOptions));
    try {
      const out = await deps.client.account(t.service, "ai/tomarkdown", { body: { form } }, {
        signal: options?.signal,
      });
      result = (out as { result: unknown }).result;
    } catch (e) {
      throw serviceError(t, e);
    }
  }
  const entries = (Array.isArray(result) ? result : [result]) as Entry[];
  if (entries.length !== checked.length || entries.some((e) => typeof e !== "object" || !e)) {
    throw new GenkitError({
      status: "INTERNAL",
      message: `Markdown conversion answered ${entries.length} results for ${checked.length} ` +
        "files: the answer is malformed. Try again.",
    });
  }
  const documents: Document[] = [];
  const failed: { name: string; error: string }[] = [];
  entries.forEach((e, i) => {
    const name = checked[i].name;
    if (e.format === "error" || typeof e.data !== "string") {
      failed.push({ name, error: e.error ?? "no text in the answer" });
      return;
    }
    documents.push(Document.fromText(e.data, {
      name,
      type: e.mimeType ?? checked[i].blob.type,
      tokens: Number(e.tokens ?? 0),
      format: e.format ?? "markdown",
    }));
  });
  if (failed.length > 0) {
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `Markdown conversion could not convert ${
        failed.map((f) => `${f.name} (${f.error})`).join(", ")
      }. Check that each is a supported format (PDF, images, HTML, XML, Office and OpenDocument ` +
        "files, CSV) and not damaged; the documents of the other files are in detail.documents.",
      detail: {
        failed,
        documents: documents.map((d): DocumentData =>
          d.toJSON()
        ),
      },
    });
  }
  return documents;
}
