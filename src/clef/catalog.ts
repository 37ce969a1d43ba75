/**
 * The Clef decision models this plugin knows: a state (text, data, images;
 * for Clef Omni also audio and video) and a set of questions in, one answer
 * per question with its probabilities out. Their facts (the media each
 * takes, the `model` selector, context window, beta and deprecation) come
 * from Cloudflare's published definitions; only the labels are written here.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/** The kinds of media a Clef model reads besides its state. */
export type ClefMedia = "image" | "audio" | "video";

/**
 * Everything the plugin knows about one Clef decision model.
 *
 * @example
 * ```ts
 * import { CLEF_MODELS, type ClefModelSpec } from "@x/cloudflare-ai/models";
 *
 * const hearsAudio = (m: ClefModelSpec) => m.media.includes("audio");
 * console.log(CLEF_MODELS.filter(hearsAudio).map((m) => m.id)); // ["@cf/cloudflare/clef-omni"]
 * ```
 */
export interface ClefModelSpec {
  /** Workers AI model id, e.g. `@cf/cloudflare/clef`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** The value of the request's `model` field, which selects the model behind the id. */
  selector: string;
  /** The media it reads: the published input's `images`, `audio` and `videos` fields. */
  media: readonly ClefMedia[];
  /** Its context window in tokens, as published. */
  contextWindow?: number;
  /** Whether Cloudflare marks the model beta. */
  beta?: boolean;
  /** Whether Cloudflare marks the model deprecated. */
  deprecated?: boolean;
}

/**
 * The id of a Clef model of the built-in catalog. A reference made with one
 * of these ids is typed with `ClefConfig`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ClefModelId } from "@x/cloudflare-ai";
 *
 * const id: ClefModelId = "@cf/cloudflare/clef-flash";
 * const judge = cloudflareAI.model(id); // takes no config
 * ```
 */
export type ClefModelId =
  | "@cf/cloudflare/clef"
  | "@cf/cloudflare/clef-flash"
  | "@cf/cloudflare/clef-omni";

/** The published input fields that carry media, and the kind each carries. */
const MEDIA_FIELDS: readonly [field: string, kind: ClefMedia][] = [
  ["images", "image"],
  ["audio", "audio"],
  ["videos", "video"],
];

/**
 * The spec of a Clef id from its published definition: the media fields its
 * input schema has, its context window and stage, and its `model` selector
 * (the published default where there is one, as for clef-omni; otherwise
 * the id's last segment, which the published pattern `^\s*(clef|clef-flash)\s*$`
 * of clef and clef-flash accepts).
 */
function fromPublished(id: string, label: string): ClefModelSpec {
  const facts = publishedModel(id);
  const fields = facts?.inputFields ?? ["images"];
  const published = facts?.params.model?.default;
  return {
    id,
    label,
    selector: typeof published === "string" ? published : id.slice(id.lastIndexOf("/") + 1),
    media: MEDIA_FIELDS.filter(([field]) => fields.includes(field)).map(([, kind]) => kind),
    ...(facts?.contextWindow !== undefined ? { contextWindow: facts.contextWindow } : {}),
    ...(facts?.beta ? { beta: true } : {}),
    ...(facts?.deprecated ? { deprecated: true } : {}),
  };
}

/**
 * Every Clef decision model. Cloudflare files them under the task "Text
 * Generation" although they generate no text, so this catalog claims them by
 * id: the text family never serves them.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { CLEF_MODELS } from "@x/cloudflare-ai/models";
 *
 * // Register only the Clef models at start.
 * const ai = genkit({ plugins: [cloudflareAI({ models: CLEF_MODELS.map((m) => m.id) })] });
 * ```
 */
export const CLEF_MODELS: readonly ClefModelSpec[] = [
  fromPublished("@cf/cloudflare/clef", "Clef (decisions)"),
  fromPublished("@cf/cloudflare/clef-flash", "Clef Flash (decisions)"),
  fromPublished(
    "@cf/cloudflare/clef-omni",
    "Clef Omni (decisions over text, images, audio, video)",
  ),
];

const CLEF_BY_ID = byId(CLEF_MODELS);

/** The catalog entry of a known Clef model, or `undefined`. */
export function knownClef(id: string): ClefModelSpec | undefined {
  return CLEF_BY_ID.get(id);
}

/** The spec of any Clef id: the catalog entry, or one made from its published definition. */
export function clefSpec(id: string): ClefModelSpec {
  return CLEF_BY_ID.get(id) ?? fromPublished(id, workersLabel(id));
}
