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

/** An interval timer that can stop holding the process open (Node and Deno timers can). */
interface Unreffable {
  ref(): unknown;
  unref(): unknown;
}

/** Whether a timer can be unref'd (a Node or Deno `Timeout`; a number elsewhere). */
function unreffable(timer: unknown): timer is Unreffable {
  return typeof timer === "object" && timer !== null &&
    typeof (timer as Partial<Unreffable>).unref === "function" &&
    typeof (timer as Partial<Unreffable>).ref === "function";
}

/**
 * One interval per client watches every deadline in flight. It checks every
 * tenth of the timeout (at most every second). When no deadline is left it
 * lets go of the process at once (it is unref'd) and stops at the next check
 * unless a deadline came meanwhile: one call after another then reuses the
 * same interval instead of setting and clearing one per call (about 20 µs a
 * call). Where timers cannot be unref'd, it stops with the last deadline.
 */
export class Watchdog {
  readonly #live = new Set<Deadline>();
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Whether the interval is unref'd: no deadline is live. */
  #idle = false;
  /** Whether a deadline was watched since the last check. */
  #used = false;
  readonly #tickMs: number;
  constructor(timeoutMs: number) {
    this.#tickMs = Math.min(1000, Math.max(1, Math.floor(timeoutMs / 10)));
  }
  watch(deadline: Deadline): void {
    this.#live.add(deadline);
    this.#used = true;
    if (this.#timer === undefined) {
      // Not unref'd while a deadline is live: it belongs to a call someone
      // awaits, and the process must stay up to end it (a binding that never
      // settles holds no socket that would).
      this.#timer = setInterval(() => this.#sweep(), this.#tickMs);
    } else if (this.#idle) {
      this.#idle = false;
      (this.#timer as unknown as Unreffable).ref();
    }
  }
  forget(deadline: Deadline): void {
    this.#live.delete(deadline);
    if (this.#live.size === 0) this.#rest();
  }
  /** No deadline is left: no timer may hold the process open for nothing. */
  #rest(): void {
    if (this.#idle || this.#timer === undefined) return;
    if (unreffable(this.#timer)) {
      this.#idle = true;
      this.#timer.unref();
    } else {
      this.#stop();
    }
  }
  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#idle = false;
  }
  #sweep(): void {
    if (this.#live.size === 0) {
      // Idle since the last check: stop, so that no timer outlives the calls.
      if (!this.#used) this.#stop();
      this.#used = false;
      return;
    }
    this.#used = false;
    const now = Date.now();
    for (const d of this.#live) {
      if (now >= d.due) {
        this.#live.delete(d);
        d.expire();
      }
    }
    if (this.#live.size === 0) this.#rest();
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
  /** The caller's signal while the deadline listens to it. */
  #caller: AbortSignal | undefined;
  constructor(
    readonly ms: number,
    readonly watchdog: Watchdog | undefined,
    caller?: AbortSignal,
    readonly timeoutMessage = "Workers AI did not answer in time",
  ) {
    if (caller) {
      if (caller.aborted) this.controller.abort(caller.reason);
      else {
        this.#caller = caller;
        // The deadline itself is the listener (see handleEvent): no closure per
        // call; clear() removes it, and it acts once.
        caller.addEventListener("abort", this);
      }
    }
  }
  /** The caller's signal aborted: abort the operation with the caller's reason. */
  handleEvent(): void {
    const caller = this.#caller;
    this.#caller = undefined;
    if (caller) this.controller.abort(caller.reason);
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
    const caller = this.#caller;
    if (caller) {
      this.#caller = undefined;
      caller.removeEventListener("abort", this);
    }
  }
}
