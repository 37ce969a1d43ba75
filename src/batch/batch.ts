/**
 * Queued batches of many requests: the inputs become queued items, grouped
 * into submissions under Cloudflare's per-batch limits, each item tagged
 * with an `external_reference`; submissions are polled with backoff until
 * every one is done, progress is reported, and the outcomes come back in
 * input order, each failure on its own. The state (the `request_id` of every
 * submission) is handed out after each submission, so that a run that stops
 * can be resumed by another process.
 *
 * @module
 */
import { GenkitError } from "genkit";
import type { WorkersAIClient } from "../client/client.ts";
import { sleep } from "../client/retry.ts";
import { invalidArgument } from "../errors.ts";
import { toUsage, type WireUsage } from "../text/response.ts";
import {
  jsonBytes,
  MAX_SUBMISSION_BYTES,
  poll,
  type QueuedOutcome,
  statusOfItemError,
  submit,
} from "./queue.ts";
import type {
  BatchItem,
  BatchOptions,
  BatchProgress,
  BatchResult,
  BatchState,
  BatchSubmission,
} from "./types.ts";

/** Queued items per submission unless the caller says otherwise. */
export const DEFAULT_ITEMS_PER_SUBMISSION = 100;

/** One queued item: the inputs it carries and how to read its result. */
export interface Item<T> {
  /** Index of its first input, and how many it carries. */
  first: number;
  count: number;
  /** The item's body, `external_reference` included. */
  body: Record<string, unknown>;
  /** The outputs of its result, one per input (throws when the result cannot be read). */
  read: (result: unknown, usage: WireUsage | undefined) => T[];
}

/** What a batch of either kind runs on. */
export interface Plan<T> {
  kind: BatchState["kind"];
  model: string;
  total: number;
  items: Item<T>[];
}

/** FNV-1a over the items' JSON: the digest that ties a saved state to its inputs. */
function digestOf(items: readonly Item<unknown>[]): string {
  let h = 0x811c9dc5;
  for (const item of items) {
    const text = JSON.stringify(item.body);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return `fnv1a32:${h.toString(16).padStart(8, "0")}:${items.length}`;
}

function checkWhole(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** Groups items into submissions of at most `max` items and under the byte limit. */
function group<T>(model: string, items: readonly Item<T>[], max: number): Item<T>[][] {
  const groups: Item<T>[][] = [];
  let current: Item<T>[] = [];
  let bytes = 16; // {"requests":[]}
  for (const item of items) {
    const size = jsonBytes(item.body) + 1;
    if (size + 16 > MAX_SUBMISSION_BYTES) {
      throw invalidArgument(
        `Input ${item.first} of the batch for ${model} is over Workers AI's 10 MB batch limit ` +
          "on its own: make it smaller.",
        { model, index: item.first },
      );
    }
    if (current.length >= max || bytes + size > MAX_SUBMISSION_BYTES) {
      groups.push(current);
      current = [];
      bytes = 16;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Checks a saved state against the batch it is given to resume. */
function checkState(plan: Plan<unknown>, digest: string, state: BatchState): void {
  const same = state?.version === 1 && state.kind === plan.kind && state.model === plan.model &&
    state.total === plan.total && state.digest === digest && Array.isArray(state.submissions);
  if (!same) {
    throw invalidArgument(
      `The saved batch state does not belong to this ${plan.kind} batch of ${plan.total} ` +
        `inputs for ${plan.model} (its model, inputs or version differ). Pass the state ` +
        "saved for these inputs, or none to start again.",
      { model: plan.model },
    );
  }
  let next = 0;
  for (const s of state.submissions) {
    if (s.first !== next || !(s.count > 0) || typeof s.requestId !== "string") {
      throw invalidArgument(
        `The saved batch state for ${plan.model} has a broken submission list.`,
      );
    }
    next += s.count;
  }
  if (next > plan.total) {
    throw invalidArgument(`The saved batch state for ${plan.model} covers more inputs than given.`);
  }
}

/** Runs a planned batch: submit what is not yet submitted, then poll everything to the end. */
export async function run<T>(
  client: WorkersAIClient,
  plan: Plan<T>,
  options: BatchOptions,
): Promise<BatchResult<T>> {
  const { model, total, items } = plan;
  const max = options.maxItemsPerSubmission === undefined
    ? DEFAULT_ITEMS_PER_SUBMISSION
    : checkWhole("maxItemsPerSubmission", options.maxItemsPerSubmission, 1, 10_000);
  const minWait = options.pollIntervalMs ?? 1000;
  const maxWait = Math.max(minWait, options.maxPollIntervalMs ?? 30_000);
  if (!(minWait >= 0) || !Number.isFinite(maxWait)) {
    throw invalidArgument("pollIntervalMs and maxPollIntervalMs must be numbers of at least 0.");
  }
  const signal = options.signal;
  const digest = digestOf(items);
  if (options.state !== undefined) checkState(plan, digest, options.state);
  const state: BatchState = {
    version: 1,
    kind: plan.kind,
    model,
    total,
    digest,
    submissions: [...(options.state?.submissions ?? [])],
  };

  const outcomes: BatchItem<T>[] = new Array(total);
  let done = 0;
  let failed = 0;
  const requests = { submissions: 0, polls: 0 };
  const wire: WireUsage = {};
  const progress = (): BatchProgress => ({
    done,
    failed,
    total,
    submitted: state.submissions.reduce((n, s) => n + s.count, 0),
    requests: requests.submissions + requests.polls,
  });
  const report = () => options.onProgress?.(progress());

  // Items by their first input, to map submissions back to items.
  const byFirst = new Map(items.map((item, i) => [item.first, i]));
  const itemsOf = (s: BatchSubmission): Item<T>[] => {
    const start = byFirst.get(s.first);
    if (start === undefined || start + s.items > items.length) {
      throw invalidArgument(`The saved batch state for ${model} does not match its items.`);
    }
    return items.slice(start, start + s.items);
  };

  report();
  const covered = state.submissions.reduce((n, s) => n + s.count, 0);
  const rest = items.filter((item) => item.first >= covered);
  for (const submission of group(model, rest, max)) {
    if (signal?.aborted) throw cancelledBatch(model);
    const requestId = await submit(client, model, submission.map((i) => i.body), signal);
    requests.submissions++;
    const count = submission.reduce((n, i) => n + i.count, 0);
    state.submissions.push({
      first: submission[0].first,
      count,
      items: submission.length,
      requestId,
    });
    await options.onState?.(structuredClone(state));
    report();
  }

  const fail = (first: number, count: number, error: GenkitError) => {
    for (let i = first; i < first + count; i++) outcomes[i] = { index: i, ok: false, error };
    done += count;
    failed += count;
  };
  const settle = (s: BatchSubmission, got: QueuedOutcome[], usage: WireUsage | undefined) => {
    const own = itemsOf(s);
    const byRef = new Map<string, QueuedOutcome>();
    for (const o of got) if (o.externalReference !== undefined) byRef.set(o.externalReference, o);
    own.forEach((item, at) => {
      const outcome = byRef.get(String(item.first)) ?? got[at];
      if (!outcome) {
        fail(item.first, item.count, itemFailure(model, item, { code: 0, message: "no answer" }));
        return;
      }
      if (!outcome.ok) {
        fail(item.first, item.count, itemFailure(model, item, outcome.error, client));
        return;
      }
      let outputs: T[];
      try {
        outputs = item.read(outcome.result, got.length === 1 ? usage : undefined);
      } catch (e) {
        fail(
          item.first,
          item.count,
          e instanceof GenkitError ? e : itemFailure(model, item, {
            code: 0,
            message: String(e),
          }),
        );
        return;
      }
      outputs.forEach((output, k) => {
        outcomes[item.first + k] = { index: item.first + k, ok: true, output };
      });
      done += item.count;
    });
    for (const k of ["prompt_tokens", "completion_tokens", "total_tokens"] as const) {
      if (typeof usage?.[k] === "number") wire[k] = (wire[k] ?? 0) + usage[k]!;
    }
    report();
  };

  let pending = [...state.submissions];
  let wait = minWait;
  while (pending.length > 0) {
    const still: BatchSubmission[] = [];
    // Submissions are polled oldest first, and a round ends at the first one
    // still pending: later ones are rarely done before it, and each poll of a
    // pending submission is a request spent for nothing.
    for (let at = 0; at < pending.length; at++) {
      const s = pending[at];
      if (signal?.aborted) throw cancelledBatch(model);
      requests.polls++;
      try {
        const answer = await poll(client, model, s.requestId, signal);
        if (answer.done) {
          settle(s, answer.items, answer.usage);
        } else {
          still.push(...pending.slice(at));
          break;
        }
      } catch (e) {
        // An expired or unknown id fails its own inputs; anything else stops the run.
        if (!(e instanceof GenkitError) || e.status !== "NOT_FOUND") throw e;
        fail(s.first, s.count, e);
        report();
      }
    }
    const progressed = still.length < pending.length;
    pending = still;
    if (pending.length === 0) break;
    wait = progressed ? minWait : Math.min(maxWait, wait * 2);
    await sleep(wait, signal, model);
  }
  return { items: outcomes, state, requests, usage: toUsage(wire) };
}

function cancelledBatch(model: string): GenkitError {
  return new GenkitError({
    status: "CANCELLED",
    message: `The batch for ${model} was stopped by the caller; what was submitted stays ` +
      "queued at Cloudflare: pass the last saved state to resume it.",
    detail: { model },
  });
}

/** The error of one failed item, for each of its inputs. */
function itemFailure(
  model: string,
  item: Item<unknown>,
  error: { code: number; message: string },
  client?: WorkersAIClient,
): GenkitError {
  const inputs = item.count === 1
    ? `input ${item.first}`
    : `inputs ${item.first}-${item.first + item.count - 1}`;
  const message = client ? client.redact(error.message) : error.message;
  return new GenkitError({
    status: statusOfItemError(error),
    message: `Workers AI could not run the queued item for ${inputs} of the batch for ` +
      `${model}: Cloudflare error ${error.code}: ${message}`,
    detail: {
      model,
      errors: [{ code: error.code, message }],
      first: item.first,
      count: item.count,
    },
  });
}
