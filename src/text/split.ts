/**
 * Incremental text filters for streamed answers: separating inline
 * `<think>…</think>` reasoning from the answer, and cutting the answer at a
 * stop sequence for models that take no `stop` parameter. Both hold back only
 * the few characters that could still turn out to be a tag or stop sequence.
 *
 * @module
 */

const OPEN = "<think>";
const CLOSE = "</think>";

/** Output of one {@link ThinkSplitter.push}. */
export interface SplitText {
  /** Reasoning text released by this push. */
  reasoning: string;
  /** Answer text released by this push. */
  text: string;
}

/** The length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialTagLength(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

/**
 * Splits a reasoning model's inline thinking from its answer. Native reasoning
 * models on Workers AI (QwQ, DeepSeek R1 distill, Qwen3) write their thinking
 * into `response` between `<think>` and `</think>`; Genkit wants it as
 * `reasoning` parts. Text that does not open with `<think>` passes unchanged.
 *
 * @example
 * ```ts
 * const s = new ThinkSplitter();
 * s.push("<thi"); s.push("nk>hmm</think>\n\nHi"); // { reasoning: "hmm", text: "Hi" }
 * ```
 */
export class ThinkSplitter {
  #state: "start" | "think" | "answer" | "text" = "start";
  #buffer = "";

  /** Feeds a delta; returns what can be released now. */
  push(delta: string): SplitText {
    this.#buffer += delta;
    const out: SplitText = { reasoning: "", text: "" };
    for (;;) {
      if (this.#state === "text") {
        out.text += this.#buffer;
        this.#buffer = "";
        return out;
      }
      if (this.#state === "start") {
        const trimmed = this.#buffer.trimStart();
        if (trimmed.length < OPEN.length && OPEN.startsWith(trimmed)) return out;
        if (trimmed.startsWith(OPEN)) {
          this.#buffer = trimmed.slice(OPEN.length);
          this.#state = "think";
        } else {
          this.#state = "text";
        }
        continue;
      }
      if (this.#state === "think") {
        const end = this.#buffer.indexOf(CLOSE);
        if (end >= 0) {
          out.reasoning += this.#buffer.slice(0, end);
          this.#buffer = this.#buffer.slice(end + CLOSE.length);
          this.#state = "answer";
          continue;
        }
        const keep = partialTagLength(this.#buffer, CLOSE);
        out.reasoning += this.#buffer.slice(0, this.#buffer.length - keep);
        this.#buffer = this.#buffer.slice(this.#buffer.length - keep);
        return out;
      }
      // "answer": drop the blank lines between the thinking and the answer.
      const trimmed = this.#buffer.trimStart();
      if (trimmed === "") {
        this.#buffer = "";
        return out;
      }
      this.#buffer = trimmed;
      this.#state = "text";
    }
  }

  /** Releases whatever is still held at the end of the stream. */
  flush(): SplitText {
    const rest = this.#buffer;
    this.#buffer = "";
    if (this.#state === "think") return { reasoning: rest, text: "" };
    if (this.#state === "answer") return { reasoning: "", text: rest.trimStart() };
    return { reasoning: "", text: rest };
  }
}

/** Splits a whole answer at once (see {@link ThinkSplitter}). */
export function splitThinking(text: string): SplitText {
  const s = new ThinkSplitter();
  const a = s.push(text);
  const b = s.flush();
  return { reasoning: a.reasoning + b.reasoning, text: a.text + b.text };
}

/**
 * Cuts streamed text at the first of several stop sequences, for models whose
 * schema has no `stop` parameter. After a match, {@link StopCutter.stopped} is
 * true and nothing more is released.
 *
 * @example
 * ```ts
 * const c = new StopCutter(["END"]);
 * c.push("one E"); c.push("ND two"); // "one " then "", and c.stopped === true
 * ```
 */
export class StopCutter {
  readonly #stops: readonly string[];
  readonly #hold: number;
  #buffer = "";
  /** Whether a stop sequence was found. */
  stopped = false;

  /** @param stops the stop sequences (empty strings are ignored). */
  constructor(stops: readonly string[]) {
    this.#stops = stops.filter((s) => s.length > 0);
    this.#hold = Math.max(0, ...this.#stops.map((s) => s.length - 1));
  }

  /** Feeds a delta; returns the text that is certainly before any stop sequence. */
  push(delta: string): string {
    if (this.stopped) return "";
    this.#buffer += delta;
    let cut = -1;
    for (const s of this.#stops) {
      const i = this.#buffer.indexOf(s);
      if (i >= 0 && (cut < 0 || i < cut)) cut = i;
    }
    if (cut >= 0) {
      this.stopped = true;
      const out = this.#buffer.slice(0, cut);
      this.#buffer = "";
      return out;
    }
    const release = Math.max(0, this.#buffer.length - this.#hold);
    const out = this.#buffer.slice(0, release);
    this.#buffer = this.#buffer.slice(release);
    return out;
  }

  /** Releases the held tail at the end of the stream. */
  flush(): string {
    const out = this.stopped ? "" : this.#buffer;
    this.#buffer = "";
    return out;
  }
}

/** Cuts a whole text at the first stop sequence; `stopped` says whether one was found. */
export function cutAtStop(
  text: string,
  stops: readonly string[],
): { text: string; stopped: boolean } {
  const c = new StopCutter(stops);
  const out = c.push(text);
  return { text: out + c.flush(), stopped: c.stopped };
}
