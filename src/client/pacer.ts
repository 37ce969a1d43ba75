/**
 * Back-pressure shared by the requests of one batched call (an `embedMany`
 * of a corpus): when one request is refused with 429, every request of the
 * call waits with it instead of firing into the limit. With a `Retry-After`
 * the call waits until the budget's window ends; without one (capacity
 * errors) its concurrency also halves, once per event, and grows back by
 * about one per round of successes (additive increase, multiplicative
 * decrease).
 *
 * Where a budget's window ends: Workers AI counts requests per task and
 * minute (reference §2.4) and says `Retry-After` in whole seconds, which
 * alone tells the window's end only to within a second. The pacer narrows it
 * down with what it saw of the round that spent the budget: the window
 * opened when the round's first request reached the server, so no earlier
 * than that request was sent and no later than the round's first answer
 * arrived, and it lasts a whole number of seconds. It resumes when that
 * answer's time plus the window's length is over: never before the window
 * ends, so with no margin for the network and no second round of refusals,
 * and late by about one request's time. When that is not known (no answer
 * yet, a `Retry-After` that is not whole seconds, or a round that may have
 * spanned several windows) it waits what the `Retry-After` says.
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

/** A second: the unit of `Retry-After`, and of the budgets' windows. */
const SECOND_MS = 1000;

/** The pacer of one batched call: a concurrency limit that adapts, and a shared pause. */
export class Pacer implements Pace {
  readonly #max: number;
  #limit: number;
  #inFlight = 0;
  #pausedUntil = 0;
  /** When the first request since the last pause was sent: the server's window began no earlier. */
  #windowStart: number | undefined;
  /** When the first answer since then arrived: the server's window began no later. */
  #firstAnswer: number | undefined;
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
    this.#pausedUntil = told ? this.#windowEnd(now, waitMs) : now + waitMs;
    this.#windowStart = undefined;
    this.#firstAnswer = undefined;
  }

  /**
   * When the budget refused at `now` with `Retry-After` `waitMs` is back:
   * the end of the window the round opened, when that is known, else what
   * the `Retry-After` says.
   */
  #windowEnd(now: number, waitMs: number): number {
    // The server's own word: its window ends within `waitMs` of the refusal
    // reaching it, which was before `now`.
    const told = now + waitMs;
    const start = this.#windowStart;
    const answered = this.#firstAnswer;
    // A window lasts at least the `Retry-After` (whole seconds) it gives, so
    // a round shorter than that has not seen one window end and another open:
    // the budget it spent is the window its first request opened.
    if (
      start === undefined || answered === undefined || waitMs <= 0 ||
      waitMs % SECOND_MS !== 0 || now - start >= waitMs
    ) {
      return told;
    }
    // The window's length in whole seconds: from its opening (no earlier than
    // `start`) to its end (within `waitMs` of the refusal, before `now`).
    // Rounding down is exact unless the time the window had left when the
    // refusal reached the server was within a round trip of whole seconds;
    // then it comes out a second too long, which costs time, not refusals.
    const windowMs = Math.floor((now - start + waitMs) / SECOND_MS) * SECOND_MS;
    // It opened no later than the first answer arrived (an answer to a request
    // of this round: the previous round's were in before it resumed), so a
    // request sent `windowMs` after that reaches the server once it is over.
    return Math.max(now, Math.min(told, answered + windowMs));
  }

  succeeded(): void {
    if (this.#windowStart !== undefined) this.#firstAnswer ??= Date.now();
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
