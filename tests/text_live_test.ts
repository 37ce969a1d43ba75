// A text model the snapshot of published definitions lacks: what the
// account's model search says of it decides its capabilities, and nothing
// it did not say is assumed from its id.
import assert from "node:assert/strict";
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure, modelRequests } from "./_setup.ts";

const SEEING = "@cf/acme/seeing-9b";
const BLIND = "@cf/acme/blind-9b";

/** A model-search answer with two models the snapshot lacks, with the properties Cloudflare lists. */
function searchFetch(): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (!url.pathname.endsWith("/ai/models/search")) return fetch(input, init);
    const res = await fetch(url, init);
    const body = await res.json();
    const model = (name: string, properties: [string, string][]) => ({
      id: name,
      source: 1,
      name,
      description: "",
      task: { id: "t", name: "Text Generation", description: "" },
      tags: [],
      properties: properties.map(([property_id, value]) => ({ property_id, value })),
    });
    if (url.searchParams.get("page") === "1") {
      body.result.push(
        model(SEEING, [
          ["function_calling", "true"],
          ["vision", "true"],
          ["reasoning", "true"],
          ["context_window", "65536"],
          ["planned_deprecation_date", "2027-03-01"],
        ]),
        model(BLIND, [["context_window", "8192"]]),
      );
    }
    return Response.json(body, { status: res.status });
  };
}

function app(emu: Emulator) {
  return genkit({
    promptDir: null,
    plugins: [
      cloudflareAI({
        accountId: emu.accountId,
        apiToken: emu.apiToken,
        baseUrl: emu.url,
        fetch: searchFetch(),
        models: [],
      }),
    ],
  });
}

type Supports = { media: boolean; tools: boolean; toolChoice: boolean };

Deno.test("the model search's properties decide what a model the snapshot lacks takes", async () => {
  await using emu = await startEmulator();
  const ai = app(emu);
  const meta = async (id: string) => {
    const action = await ai.registry.lookupAction(`/model/cloudflare-ai/${id}`);
    return (action!.__action.metadata as { model: { supports: Supports; stage: string } }).model;
  };
  const seeing = await meta(SEEING);
  assert.equal(seeing.supports.media, true);
  assert.equal(seeing.supports.tools, true);
  assert.equal(seeing.stage, "deprecated", "a planned deprecation date is published");
  const blind = await meta(BLIND);
  assert.equal(blind.supports.media, false);
  assert.equal(blind.supports.tools, false);
  assert.equal(blind.stage, "stable");

  // Nothing the search did not say: no images, no tools, and no sampling
  // parameter (no published schema names one), all refused before any request.
  const png = "data:image/png;base64,iVBORw0KGgo=";
  const noImages = await failure(() =>
    ai.generate({
      model: `cloudflare-ai/${BLIND}`,
      prompt: [{ text: "?" }, { media: { url: png } }],
    })
  );
  assert.match(noImages.message, /does not take images/);
  const noParams = await failure(() =>
    ai.generate({ model: `cloudflare-ai/${SEEING}`, prompt: "Hi", config: { temperature: 1 } })
  );
  assert.equal(noParams.status, "INVALID_ARGUMENT");
  assert.match(noParams.message, /config\.temperature is not supported .*no input schema/);
  assert.equal(modelRequests(emu).length, 0);
});
