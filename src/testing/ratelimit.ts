/**
 * Per-task rate limits, as Workers AI enforces them (a request budget per
 * task type and window, reference §2.4): over-budget requests are answered
 * 429 with code 3040 and a `Retry-After` until the window ends.
 *
 * @module
 */
import type { RateLimit } from "./types.ts";

/** The fixed-window counters of every limited task. */
export class RateLimiter {
  readonly #limits: Readonly<Record<string, RateLimit>>;
  readonly #windows = new Map<string, { start: number; count: number }>();
  /** Requests refused for being over budget, since start or the last reset. */
  rejected = 0;
  /** Whether any task is limited. */
  readonly active: boolean;

  constructor(limits: Readonly<Record<string, RateLimit>> = {}) {
    for (const [task, limit] of Object.entries(limits)) {
      if (
        !Number.isInteger(limit.requests) || limit.requests < 1 ||
        !Number.isFinite(limit.windowMs) || limit.windowMs <= 0
      ) {
        throw new RangeError(
          `rateLimits["${task}"] needs requests >= 1 (a whole number) and windowMs > 0`,
        );
      }
    }
    this.#limits = limits;
    this.active = Object.keys(limits).length > 0;
  }

  /**
   * Counts a request for `task`; when it is over the budget, the seconds
   * until the window ends (for `Retry-After`), else `undefined`.
   */
  take(task: string | undefined, now = Date.now()): number | undefined {
    const limit = task === undefined ? undefined : this.#limits[task];
    if (!limit) return undefined;
    let window = this.#windows.get(task!);
    if (!window || now - window.start >= limit.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(task!, window);
    }
    if (window.count < limit.requests) {
      window.count++;
      return undefined;
    }
    this.rejected++;
    return Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000));
  }

  /** Forgets the windows and the count of rejected requests. */
  reset(): void {
    this.#windows.clear();
    this.rejected = 0;
  }
}
