/**
 * The model search endpoint: every task's models as Cloudflare's model
 * objects, filtered and paginated.
 *
 * @module
 */

import type { ModelObject } from "./model_object.ts";
import { TASKS } from "./tasks.ts";

/** Default and largest `per_page` of the search endpoint. */
const PER_PAGE_DEFAULT = 20;
const PER_PAGE_MAX = 100;

/** The search answer (`result` and `result_info`) for a query string. */
export function searchModels(params: URLSearchParams): {
  result: ModelObject[];
  result_info: { page: number; per_page: number; count: number; total_count: number };
} {
  const int = (name: string, fallback: number) => {
    const n = Number.parseInt(params.get(name) ?? "", 10);
    return Number.isFinite(n) && n >= 1 ? n : fallback;
  };
  const page = int("page", 1);
  const perPage = Math.min(int("per_page", PER_PAGE_DEFAULT), PER_PAGE_MAX);
  const taskName = params.get("task")?.toLowerCase();
  const search = params.get("search")?.toLowerCase();
  const author = params.get("author")?.toLowerCase();
  const source = params.get("source");
  const matches = TASKS.flatMap((t) => t.models()).filter((m) =>
    (!taskName || m.task.name.toLowerCase() === taskName) &&
    (!search || m.name.toLowerCase().includes(search) ||
      m.description.toLowerCase().includes(search)) &&
    (!author || m.name.split("/")[1]?.toLowerCase() === author) &&
    (!source || String(m.source) === source)
  );
  const result = matches.slice((page - 1) * perPage, page * perPage);
  return {
    result,
    result_info: { page, per_page: perPage, count: result.length, total_count: matches.length },
  };
}
