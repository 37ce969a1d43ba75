/**
 * The Genkit-only Worker of the `worker-bundle` scenario: the example
 * Worker's set-up (examples/worker/worker.ts) without the plugin: Genkit in
 * the Workers runtime configuration, an app made on the first POST and
 * shared by all requests. Built with the same wrangler and settings; its
 * bundle is what Genkit alone weighs in a Worker.
 *
 * `genkit` is imported by path from the repository's own `node_modules`, so
 * that both Workers bundle the very same copy of Genkit and its dependencies.
 *
 * @module
 */
import { genkit, setGenkitRuntimeConfig } from "../../node_modules/genkit/lib/index.mjs";

setGenkitRuntimeConfig({ jsonSchemaMode: "interpret", sandboxedRuntime: true });

let app: ReturnType<typeof genkit> | undefined;

export default {
  fetch(request: Request): Response {
    const { pathname } = new URL(request.url);
    if (pathname !== "/generate") return new Response("Not found", { status: 404 });
    if (request.method !== "POST") return new Response("Use POST", { status: 405 });
    app ??= genkit({});
    return Response.json({ ok: app !== undefined });
  },
};
