/**
 * The conversion options of Workers AI's Markdown conversion (reference §7),
 * as a strict schema: an unknown or misspelt option is refused before any
 * request instead of being ignored by the service.
 *
 * @module
 */
import { z } from "genkit";
import { invalidArgument } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";

const language = z.enum(["en", "es", "fr", "it", "pt", "de"]);

const images = z.object({
  convert: z.boolean().optional().describe("Describe the images with an image-to-text model"),
  descriptionLanguage: language.optional(),
  maxConvertedImages: z.number().int().min(0).max(10).optional(),
  convertOGImage: z.boolean().optional(),
}).strict();

/** The schema of {@link ConversionOptions}. */
export const ConversionOptionsSchema: ZodSchema = z.object({
  output: z.object({ format: z.enum(["markdown", "text"]).optional() }).strict().optional(),
  image: z.object({ descriptionLanguage: language.optional() }).strict().optional(),
  html: z.object({
    images: images.optional(),
    hostname: z.string().optional().describe("Resolves relative links and images"),
    cssSelector: z.string().optional().describe("Converts only what this selector matches"),
  }).strict().optional(),
  pdf: z.object({
    metadata: z.boolean().optional().describe("false: leave out the PDF's metadata"),
    images: images.optional(),
  }).strict().optional(),
  docx: z.object({ images: images.optional() }).strict().optional(),
}).strict();

/**
 * A language of image descriptions.
 *
 * @example
 * ```ts
 * import type { DescriptionLanguage } from "@x/cloudflare-ai";
 *
 * const language: DescriptionLanguage = "fr";
 * ```
 */
export type DescriptionLanguage = "en" | "es" | "fr" | "it" | "pt" | "de";

/**
 * How the images inside a page or document are handled.
 *
 * @example
 * ```ts
 * import type { ConversionImageOptions } from "@x/cloudflare-ai";
 *
 * const images: ConversionImageOptions = { convert: true, maxConvertedImages: 3 };
 * ```
 */
export interface ConversionImageOptions {
  /** Describe the images with an image-to-text model (billed as Workers AI usage). */
  convert?: boolean;
  /** The language of the descriptions (best effort). */
  descriptionLanguage?: DescriptionLanguage;
  /** At most this many images described (0 to 10). */
  maxConvertedImages?: number;
  /** Also describe the page's Open Graph image. */
  convertOGImage?: boolean;
}

/**
 * Options of the conversion service, passed through as `conversionOptions`.
 *
 * @example
 * ```ts
 * import type { ConversionOptions } from "@x/cloudflare-ai";
 *
 * const options: ConversionOptions = {
 *   output: { format: "markdown" },
 *   html: { cssSelector: "main", hostname: "example.com" },
 *   pdf: { metadata: false },
 * };
 * ```
 */
export interface ConversionOptions {
  /** `markdown` (default) or plain `text`. */
  output?: { format?: "markdown" | "text" };
  /** Images converted as files: the description language. */
  image?: { descriptionLanguage?: DescriptionLanguage };
  /** HTML pages. */
  html?: { images?: ConversionImageOptions; hostname?: string; cssSelector?: string };
  /** PDF files. */
  pdf?: { metadata?: boolean; images?: ConversionImageOptions };
  /** Word files. */
  docx?: { images?: ConversionImageOptions };
}

/** Checks conversion options; refuses unknown options and bad values, naming the path. */
export function checkConversionOptions(value: unknown): ConversionOptions | undefined {
  if (value === undefined) return undefined;
  const parsed = ConversionOptionsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ["conversionOptions", ...issue.path].join(".");
    const keys = (issue as { keys?: string[] }).keys;
    throw invalidArgument(
      `toMarkdown(): ${path}: ${keys ? `unknown option ${keys.join(", ")}` : issue.message}. ` +
        "See the conversion options of Workers AI's Markdown conversion (output, image, html, pdf, docx).",
    );
  }
  return parsed.data as ConversionOptions;
}
