/**
 * The emulator's Markdown conversion (`/ai/tomarkdown`, reference §7) for
 * text formats: HTML (scripts, styles, header and footer dropped), Markdown,
 * CSV (a table) and plain text; any other format gets a per-file error, as
 * the service reports a file it cannot read without failing the call.
 *
 * @module
 */

import { ApiError } from "./errors.ts";
import type { TaskBody } from "./task_contract.ts";
import { isObject, uuidOf, wordsOf } from "./util.ts";

/** The formats the emulator converts, as `/tomarkdown/supported` lists them. */
const SUPPORTED = [
  { extension: ".html", mimeType: "text/html" },
  { extension: ".htm", mimeType: "text/html" },
  { extension: ".md", mimeType: "text/markdown" },
  { extension: ".csv", mimeType: "text/csv" },
  { extension: ".txt", mimeType: "text/plain" },
];

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  "#39": "'",
};

function decode(text: string): string {
  return text.replace(/&(#?\w+);/g, (m, e: string) => {
    if (ENTITIES[e]) return ENTITIES[e];
    if (e.startsWith("#")) {
      const n = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : m;
    }
    return m;
  });
}

/** A small HTML to Markdown conversion of headings, paragraphs, lists, links and emphasis. */
export function htmlToMarkdown(html: string, keepChrome = false): string {
  let s = html.replace(/<!--[\s\S]*?-->/g, "");
  s = s.replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1>/gi, "");
  if (!keepChrome) s = s.replace(/<(header|footer|nav)\b[\s\S]*?<\/\1>/gi, "");
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(s)?.[1]?.trim();
  s = s.replace(/<head\b[\s\S]*?<\/head>/gi, "");
  s = s.replace(
    /<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi,
    (_, n, t) => `\n\n${"#".repeat(+n)} ${t}\n\n`,
  );
  s = s.replace(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, "[$2]($1)");
  s = s.replace(/<(strong|b)\b[^>]*>([\s\S]*?)<\/\1>/gi, "**$2**");
  s = s.replace(/<(em|i)\b[^>]*>([\s\S]*?)<\/\1>/gi, "*$2*");
  s = s.replace(/<li\b[^>]*>/gi, "\n- ").replace(/<br\s*\/?>/gi, "\n");
  s = s.replace(/<\/(p|div|ul|ol|section|article|main|table|tr)>/gi, "\n\n");
  s = s.replace(/<[^>]+>/g, "");
  s = decode(s).replace(/[ \t]+/g, " ").replace(/ *\n */g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  return title && !s.startsWith("# ") ? `# ${decode(title)}\n\n${s}` : s;
}

/** CSV as a Markdown table (quoted fields with commas and doubled quotes understood). */
export function csvToMarkdown(csv: string): string {
  const rows = csv.split(/\r?\n/).filter((l) => l.trim() !== "").map((line) => {
    const cells: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') (cur += '"', i++);
        else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") (cells.push(cur), cur = "");
      else cur += c;
    }
    cells.push(cur);
    return cells.map((x) => x.trim().replace(/\|/g, "\\|"));
  });
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map((r) => r.length));
  const line = (r: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => r[i] ?? "").join(" | ")} |`;
  return [line(rows[0]), `|${" --- |".repeat(width)}`, ...rows.slice(1).map(line)].join("\n");
}

/** Markdown as plain text (`output.format: "text"`). */
function plain(md: string): string {
  return md.replace(/^#+ /gm, "").replace(/\*\*?([^*]+)\*\*?/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
}

function kindOf(file: File): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase();
  const type = file.type.split(";")[0].trim().toLowerCase();
  if (type === "text/html" || ext === "html" || ext === "htm") return "html";
  if (type === "text/markdown" || ext === "md" || ext === "markdown") return "md";
  if (type === "text/csv" || ext === "csv") return "csv";
  if (type === "text/plain" || ext === "txt") return "txt";
  return undefined;
}

/** One file's result entry. */
async function convert(file: File, options: Record<string, unknown>) {
  const base = { id: uuidOf(`${file.name}:${file.size}`), name: file.name, mimeType: file.type };
  const kind = kindOf(file);
  if (!kind) {
    return {
      ...base,
      format: "error",
      error: `Unsupported file type: ${file.type || file.name}`,
    };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ...base, format: "error", error: "File is not valid UTF-8 text" };
  }
  const html = isObject(options.html) ? options.html : {};
  let data = kind === "html"
    ? htmlToMarkdown(text, typeof html.cssSelector === "string")
    : kind === "csv"
    ? csvToMarkdown(text)
    : text.trim();
  const output = isObject(options.output) ? options.output : {};
  const format = output.format === "text" ? "text" : "markdown";
  if (format === "text") data = plain(data);
  return { ...base, format, tokens: wordsOf(data).length, data };
}

/** Answers `/ai/tomarkdown` and `/ai/tomarkdown/supported`. */
export async function markdownAnswer(
  method: string,
  sub: string,
  body: TaskBody,
): Promise<unknown> {
  if (sub === "ai/tomarkdown/supported") {
    if (method !== "GET") throw new ApiError(405, 10405, "Method not allowed");
    return SUPPORTED;
  }
  if (method !== "POST") throw new ApiError(405, 10405, "Method not allowed");
  if (body.kind !== "form") {
    throw new ApiError(400, 10400, "Request must be multipart/form-data with one or more files");
  }
  // Not a type predicate on File: Node's and the web's File types differ (the npm build checks both).
  const files = body.form.getAll("files").flatMap((f) => typeof f === "string" ? [] : [f as File]);
  if (files.length === 0) throw new ApiError(400, 10400, "No files were provided");
  let options: Record<string, unknown> = {};
  const raw = body.form.get("conversionOptions");
  if (typeof raw === "string") {
    try {
      const parsed = JSON.parse(raw);
      if (!isObject(parsed)) throw new Error();
      options = parsed;
    } catch {
      throw new ApiError(400, 10400, "conversionOptions must be a JSON object");
    }
  }
  return await Promise.all(files.map((f) => convert(f, options)));
}
