/**
 * The one abortable timer of the module: a {@link Deadline} ends an
 * operation (a Workers AI call, a media download) when it makes no progress
 * for a while, or as soon as the caller's signal aborts. The client's
 * deadlines share one watchdog interval per client (outside Workers); a
 * download's has a timer of its own.
 *
 * @module
 */

/** The longest delay `setTimeout` honours (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * In Cloudflare Workers a timer belongs to the request that created it and
 * stops with it: a timer shared by the requests of one Genkit instance would
 * stop timing out every later request. There, each deadline has its own
 * timer; elsewhere one interval per client watches every deadline, which
 * saves a timer per request (about 10 µs each, and 10 % of throughput at 64
 * requests in flight, measured by the benchmark suite).
 */
export const TIMER_PER_REQUEST: boolean =
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
    "Cloudflare-Workers";

/**
 * One interval per client watches every deadline in flight. It checks every
 * tenth of the timeout (at most every second) and stops as soon as no
 * deadline is left.
 */
export class Watchdog {
  readonly #live = new Set<Deadline>();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #tickMs: number;
  constructor(timeoutMs: number) {
    this.#tickMs = Math.min(1000, Math.max(1, Math.floor(timeoutMs / 10)));
  }
  watch(deadline: Deadline): void {
    this.#live.add(deadline);
    if (this.#timer === undefined) {
      // Not unref'd: a live deadline belongs to a call someone awaits, and
      // the process must stay up to end it (a binding that never settles
      // holds no socket that would). The interval stops with the last deadline.
      this.#timer = setInterval(() => this.#sweep(), this.#tickMs);
    }
  }
  forget(deadline: Deadline): void {
    this.#live.delete(deadline);
    // Stop with the last deadline, so that no timer outlives the calls.
    if (this.#live.size === 0) this.#stop();
  }
  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
  #sweep(): void {
    const now = Date.now();
    for (const d of this.#live) {
      if (now >= d.due) {
        this.#live.delete(d);
        d.expire();
      }
    }
    if (this.#live.size === 0) this.#stop();
  }
}

/**
 * Aborts an operation when no progress is made for `ms` milliseconds (with
 * a `TimeoutError` saying `timeoutMessage`), or as soon as the caller's
 * signal aborts (with the caller's reason). `arm()` only moves the due time
 * forward, so a stream does not churn a timer per event. Without a
 * `watchdog`, the deadline has its own timer.
 */
export class Deadline {
  readonly controller: AbortController = new AbortController();
  expired = false;
  due = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #caller: AbortSignal | undefined;
  readonly #onAbort: (() => void) | undefined;
  constructor(
    readonly ms: number,
    readonly watchdog: Watchdog | undefined,
    caller?: AbortSignal,
    readonly timeoutMessage = "Workers AI did not answer in time",
  ) {
    if (caller) {
      this.#caller = caller;
      this.#onAbort = () => this.controller.abort(caller.reason);
      if (caller.aborted) this.controller.abort(caller.reason);
      else caller.addEventListener("abort", this.#onAbort, { once: true });
    }
  }
  arm(): void {
    if (this.ms <= 0) return;
    this.due = Date.now() + this.ms;
    if (this.watchdog) this.watchdog.watch(this);
    else if (this.#timer === undefined) this.#sleep(this.ms);
  }
  /** Own timer (Workers): when it fires early, it sleeps again for what is left. */
  #sleep(ms: number): void {
    // setTimeout fires at once for delays above 2^31-1 ms: sleep in steps.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = this.due - Date.now();
      if (left > 0) this.#sleep(left);
      else this.expire();
    }, Math.min(ms, MAX_TIMER_MS));
  }
  expire(): void {
    this.expired = true;
    this.controller.abort(new DOMException(this.timeoutMessage, "TimeoutError"));
  }
  /** Stops the timer; the caller's signal still aborts the request. */
  stopTimer(): void {
    this.watchdog?.forget(this);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
  /** Stops the timer and lets go of the caller's signal. */
  clear(): void {
    this.stopTimer();
    if (this.#onAbort) this.#caller!.removeEventListener("abort", this.#onAbort);
  }
}
