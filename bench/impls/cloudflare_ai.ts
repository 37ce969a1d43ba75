/**
 * `cloudflare-ai`: this module's plugin through a real `genkit()` instance.
 *
 * @module
 */
import { type EmbedderReference, genkit } from "genkit";
import { cloudflareAI } from "../../mod.ts";
import { EMBED_MODEL, type Endpoint, type Impl, TEXT_MODEL } from "../common.ts";
import { genkitText } from "./genkit_text.ts";

/** The embedder helper, read loosely so that the suite also runs before it exists. */
type EmbedderHelper = (id: string) => EmbedderReference;

/** `cloudflareAI.embedder`, or `undefined` when this build of the module has none. */
export function embedderHelper(): EmbedderHelper | undefined {
  const helper = (cloudflareAI as unknown as { embedder?: unknown }).embedder;
  return typeof helper === "function" ? helper as EmbedderHelper : undefined;
}

/** Creates the `cloudflare-ai` implementation. */
export function cloudflareAi(text: Endpoint, embed: Endpoint): Promise<Impl> {
  const ai = genkit({
    promptDir: null,
    plugins: [
      cloudflareAI({
        accountId: text.accountId,
        apiToken: text.apiToken,
        baseUrl: text.url,
      }),
    ],
  });
  const model = cloudflareAI.model(TEXT_MODEL);
  const impl: Impl = {
    name: "cloudflare-ai",
    ...genkitText(ai, model, (maxTokens) => ({ maxOutputTokens: maxTokens })),
  };
  const helper = embedderHelper();
  if (!helper) {
    impl.embedSkip = "cloudflareAI.embedder is not exported by this build of the module yet";
    return Promise.resolve(impl);
  }
  // A second app: its plugin points at the emulator that adds service time.
  const embedAi = genkit({
    promptDir: null,
    plugins: [
      cloudflareAI({
        accountId: embed.accountId,
        apiToken: embed.apiToken,
        baseUrl: embed.url,
        fetch: embed.fetch,
      }),
    ],
  });
  const embedder = helper(EMBED_MODEL);
  impl.embed = async (texts) => {
    const out = await embedAi.embedMany({ embedder, content: texts });
    return out.map((e) => e.embedding);
  };
  return Promise.resolve(impl);
}
