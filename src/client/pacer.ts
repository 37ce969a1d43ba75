/**
 * Back-pressure shared by the requests of one batched call (an `embedMany`
 * of a corpus): when one request is refused with 429, every request of the
 * call waits with it instead of firing into the limit. With a `Retry-After`
 * the call waits until the budget's window ends; without one (capacity
 * errors) its concurrency also halves, once per event, and grows back by
 * about one per round of successes (additive increase, multiplicative
 * decrease).
 *
 * @module
 */

/** What the client asks of a batched call's pacer around each attempt. */
export interface Pace {
  /** Resolves when an attempt may be sent: the call is not paused. Rejects when `signal` aborts. */
  ready(signal?: AbortSignal): Promise<void>;
  /**
   * An attempt was rate limited and would be retried after `waitMs` (the
   * server's `Retry-After` when `told`): the whole call waits, the retried
   * attempt included (through {@link Pace.ready}).
   */
  throttled(waitMs: number, told: boolean): void;
  /** An attempt succeeded. */
  succeeded(): void;
}

/**
 * How long after a window's estimated end requests resume. The server's
 * window begins when the round's first request reaches it, which is later
 * than the client sent it by the network's one-way delay and the server's
 * own queueing: resuming too early has the whole round refused again. 100 ms
 * covers a typical one-way delay and costs 0.2 % of a per-minute window.
 */
const WINDOW_MARGIN_MS = 100;

/** The pacer of one batched call: a concurrency limit that adapts, and a shared pause. */
export class Pacer implements Pace {
  readonly #max: number;
  #limit: number;
  #inFlight = 0;
  #pausedUntil = 0;
  /** When the first request since the last pause was sent: where the server's window began. */
  #windowStart: number | undefined;
  #waiting: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** A pacer allowing at most `max` requests in flight. */
  constructor(max: number) {
    this.#max = Math.max(1, max);
    this.#limit = this.#max;
  }

  /** When the current pause ends (a time in ms since the epoch; in the past when not paused). */
  get resumesAt(): number {
    return this.#pausedUntil;
  }

  /** The requests allowed in flight now. */
  get limit(): number {
    return Math.max(1, Math.floor(this.#limit));
  }

  /** Waits for a free slot under the current limit, past any pause; then holds it until {@link release}. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.#inFlight < this.limit && Date.now() >= this.#pausedUntil) {
        this.#inFlight++;
        return;
      }
      await this.#wait(signal);
    }
  }

  /** Gives back a slot taken by {@link acquire}. */
  release(): void {
    this.#inFlight--;
    this.#wake();
  }

  async ready(signal?: AbortSignal): Promise<void> {
    while (Date.now() < this.#pausedUntil) {
      signal?.throwIfAborted();
      await this.#wait(signal);
    }
    signal?.throwIfAborted();
    this.#windowStart ??= Date.now();
  }

  throttled(waitMs: number, told: boolean): void {
    const now = Date.now();
    // The requests already in flight when the budget ran out are refused
    // too: one event, which neither halves the limit again nor moves the pause.
    if (now < this.#pausedUntil) return;
    // Told when the budget is back, the call only waits for it: the refusal
    // was about the budget, not about how many requests were in flight.
    // Not told, it also halves its concurrency (multiplicative decrease).
    if (!told) this.#limit = Math.max(1, this.#limit / 2);
    // A Retry-After counts whole seconds from the refusal, but a budget's
    // window began with the first request of the round: resume when that
    // window ends (Cloudflare's limits are per minute, reference §2.4).
    const windowEnd = told && this.#windowStart !== undefined
      ? Math.max(now, this.#windowStart + waitMs) + WINDOW_MARGIN_MS
      : Infinity;
    this.#pausedUntil = Math.min(now + waitMs, windowEnd);
    this.#windowStart = undefined;
  }

  succeeded(): void {
    // One more slot per `limit` successes: about one per round of requests.
    this.#limit = Math.min(this.#max, this.#limit + 1 / this.#limit);
    this.#wake();
  }

  /** Resolves on the next change (a slot freed, the pause over) or when `signal` aborts. */
  #wait(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener("abort", done);
        this.#waiting = this.#waiting.filter((w) => w !== done);
        // No timer outlives the last waiter.
        if (this.#waiting.length === 0) this.#unschedule();
        resolve();
      };
      this.#waiting.push(done);
      signal?.addEventListener("abort", done, { once: true });
      this.#schedule();
    });
  }

  #wake(): void {
    for (const w of [...this.#waiting]) w();
  }

  /** Wakes the waiters when the pause ends. */
  #schedule(): void {
    const left = this.#pausedUntil - Date.now();
    if (left <= 0 || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#wake();
    }, left);
  }

  #unschedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
