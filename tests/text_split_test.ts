import assert from "node:assert/strict";
import fc from "fast-check";
import { cutAtStop, splitThinking, StopCutter, ThinkSplitter } from "../src/text/split.ts";

function feed<T>(pieces: string[], push: (s: string) => T, flush: () => T): T[] {
  return [...pieces.map(push), flush()];
}

function pieces(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let start = 0;
  for (const p of [...points, text.length]) {
    out.push(text.slice(start, p));
    start = p;
  }
  return out;
}

Deno.test("ThinkSplitter separates <think> reasoning from the answer however the text is split", () => {
  const text = "<think>\nWeighing it up </thin k> still\n</think>\n\nThe answer is 42.";
  fc.assert(
    fc.property(fc.array(fc.nat(200), { maxLength: 12 }), (cuts) => {
      const s = new ThinkSplitter();
      const out = feed(pieces(text, cuts), (p) => s.push(p), () => s.flush());
      assert.equal(out.map((o) => o.reasoning).join(""), "\nWeighing it up </thin k> still\n");
      assert.equal(out.map((o) => o.text).join(""), "The answer is 42.");
    }),
  );
});

Deno.test("ThinkSplitter passes text without a leading <think> through unchanged", () => {
  assert.deepEqual(splitThinking("Hello <think> there"), {
    reasoning: "",
    text: "Hello <think> there",
  });
  assert.deepEqual(splitThinking("<thin"), { reasoning: "", text: "<thin" });
});

Deno.test("StopCutter cuts at the earliest stop sequence however the text is split", () => {
  const text = "alpha beta STOP gamma END delta";
  fc.assert(
    fc.property(fc.array(fc.nat(100), { maxLength: 10 }), (cuts) => {
      const c = new StopCutter(["END", "STOP"]);
      const out = feed(pieces(text, cuts), (p) => c.push(p), () => c.flush());
      assert.equal(out.join(""), "alpha beta ");
      assert.equal(c.stopped, true);
    }),
  );
});

Deno.test("cutAtStop leaves text without a stop sequence whole", () => {
  assert.deepEqual(cutAtStop("no stops here", ["XYZ"]), { text: "no stops here", stopped: false });
  assert.deepEqual(cutAtStop("one\n\ntwo", ["\n\n"]), { text: "one", stopped: true });
});
