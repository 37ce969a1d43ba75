/**
 * Back-pressure shared by the requests of one batched call (an `embedMany`
 * of a corpus): when one request is told to wait (429), every request of the
 * call waits with it, and the call's concurrency adapts, halving on each
 * rate-limit answer and growing back by one per round of successes (additive
 * increase, multiplicative decrease), instead of firing into the limit.
 *
 * @module
 */

/** What the client asks of a batched call's pacer around each attempt. */
export interface Pace {
  /** Resolves when an attempt may be sent: the call is not paused. Rejects when `signal` aborts. */
  ready(signal?: AbortSignal): Promise<void>;
  /** An attempt was rate limited and will be retried after `waitMs`: the whole call waits as long. */
  throttled(waitMs: number): void;
  /** An attempt succeeded. */
  succeeded(): void;
}

/** The pacer of one batched call: a concurrency limit that adapts, and a shared pause. */
export class Pacer implements Pace {
  readonly #max: number;
  #limit: number;
  #inFlight = 0;
  #pausedUntil = 0;
  #waiting: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** A pacer allowing at most `max` requests in flight. */
  constructor(max: number) {
    this.#max = Math.max(1, max);
    this.#limit = this.#max;
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
  }

  throttled(waitMs: number): void {
    // One decrease per rate-limit event: the requests already in flight when
    // the budget ran out are refused too, and must not halve it again.
    if (Date.now() >= this.#pausedUntil) this.#limit = Math.max(1, this.#limit / 2);
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + waitMs);
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
