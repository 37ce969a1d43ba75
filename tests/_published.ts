// Cloudflare's published model definitions, read from the snapshot's JSON
// files (not from the generated modules the runtime reads): the tests judge
// the catalogs by them.

/** One published definition file. */
export interface PublishedFile {
  id: string;
  task: string;
  properties: Record<string, unknown>;
  schema?: { input: Record<string, unknown>; output: Record<string, unknown> };
}

const dir = new URL("../src/definitions/published/", import.meta.url);

/** Every definition file by model id (`qwen.json`, a stray older copy of another, left out). */
export const PUBLISHED_FILES: ReadonlyMap<string, PublishedFile> = new Map(
  [...Deno.readDirSync(dir)]
    .filter((e) => e.name.endsWith(".json") && e.name !== "qwen.json")
    .map((e) => JSON.parse(Deno.readTextFileSync(new URL(e.name, dir))) as PublishedFile)
    .map((f) => [f.id, f]),
);

/** The definition of `id`; throws when the snapshot has none. */
export function publishedFile(id: string): PublishedFile {
  const f = PUBLISHED_FILES.get(id);
  if (!f) throw new Error(`no published definition for ${id}`);
  return f;
}

/** The ids of a task, sorted. */
export function idsOfTask(...tasks: string[]): string[] {
  return [...PUBLISHED_FILES.values()].filter((f) => tasks.includes(f.task)).map((f) => f.id)
    .sort();
}

/** The object branches of a schema: itself, or those of its top-level oneOf / anyOf. */
export function objectBranches(schema: Record<string, unknown>): Record<string, unknown>[] {
  const list = [
    ...((schema.oneOf as Record<string, unknown>[] | undefined) ?? []),
    ...((schema.anyOf as Record<string, unknown>[] | undefined) ?? []),
  ];
  const branches = list.length > 0 ? list : [schema];
  return branches.filter((b) => b.properties !== undefined || b.type === "object");
}

/** Every top-level input property of a definition, merged across its branches (first wins). */
export function inputProperties(id: string): Record<string, Record<string, unknown>> {
  // Two definitions (apertus, eurollm) publish no schema.
  const input = publishedFile(id).schema?.input ?? {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const b of objectBranches(input)) {
    const props = {
      ...(input.properties as Record<string, Record<string, unknown>> | undefined),
      ...(b.properties as Record<string, Record<string, unknown>> | undefined),
    };
    for (const [k, v] of Object.entries(props)) if (!(k in out)) out[k] = v;
  }
  return out;
}
