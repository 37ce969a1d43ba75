/**
 * The performance targets of the plugin, checked against a results file.
 *
 * @module
 */
import type { ScenarioResult } from "./scenarios.ts";

/** The `scenarios` part of `results.json`. */
export type Scenarios = Record<string, ScenarioResult>;

/** One target and whether the figures meet it. */
export interface TargetCheck {
  /** Scenario name. */
  scenario: string;
  /** The target, in words. */
  target: string;
  /** `true` met, `false` missed, `undefined` not measured. */
  met?: boolean;
  /** The figures behind the verdict. */
  detail: string;
}

/** The peers the plugin is compared with. */
export const PEERS = [
  "compat-oai",
  "workers-ai-provider",
  "langchain",
] as const;

const PLUGIN = "cloudflare-ai";

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Peers measured in a scenario, with the metric's value. */
function peerValues(s: ScenarioResult, metric: string): [string, number][] {
  return PEERS.filter((p) => s[p]?.[metric] !== undefined).map((
    p,
  ) => [p, s[p][metric]]);
}

/** Checks every target; a scenario that was not measured gives `met: undefined`. */
export function checkTargets(scenarios: Scenarios): TargetCheck[] {
  const out: TargetCheck[] = [];
  const missing = (scenario: string, target: string, why: string) =>
    out.push({ scenario, target, detail: why });

  // generate
  {
    const target = "median within 1.10x of raw-fetch + genkit-floor, and below every peer";
    const s = scenarios["generate"];
    const cf = s?.[PLUGIN]?.median_us;
    if (!s || cf === undefined || !s["raw-fetch"] || !s["genkit-floor"]) {
      missing("generate", target, "not measured");
    } else {
      const floor = s["raw-fetch"].median_us + s["genkit-floor"].median_us;
      const limit = 1.1 * floor;
      const peers = peerValues(s, "median_us");
      const slower = peers.filter(([, v]) => v <= cf).map(([p]) => p);
      out.push({
        scenario: "generate",
        target,
        met: cf <= limit && slower.length === 0,
        detail:
          `${fmt(cf)} µs vs limit ${fmt(limit)} µs (= 1.10 × (${fmt(s["raw-fetch"].median_us)} + ${
            fmt(s["genkit-floor"].median_us)
          })), ${(cf / floor).toFixed(2)}x the floor; ` +
          (slower.length === 0 ? "faster than every peer" : `not faster than ${slower.join(", ")}`),
      });
    }
  }
  // generate-c64
  {
    const target = "at least half of raw-fetch's throughput, and above every peer";
    const s = scenarios["generate-c64"];
    const cf = s?.[PLUGIN]?.rps;
    if (!s || cf === undefined || !s["raw-fetch"]) {
      missing("generate-c64", target, "not measured");
    } else {
      const raw = s["raw-fetch"].rps;
      const peers = peerValues(s, "rps");
      const ahead = peers.filter(([, v]) => v >= cf).map(([p]) => p);
      out.push({
        scenario: "generate-c64",
        target,
        met: cf >= raw / 2 && ahead.length === 0,
        detail: `${fmt(cf)} req/s = ${(cf / raw).toFixed(2)} of raw-fetch (${fmt(raw)}); ` +
          (ahead.length === 0 ? "above every peer" : `not above ${ahead.join(", ")}`),
      });
    }
  }
  // stream
  {
    const target =
      "total within 1.25x of raw-fetch + genkit-floor, and below every peer in total and first chunk";
    const s = scenarios["stream"];
    const cf = s?.[PLUGIN];
    if (!s || !cf || !s["raw-fetch"] || !s["genkit-floor"]) {
      missing("stream", target, "not measured");
    } else {
      const floor = s["raw-fetch"].total_ms + s["genkit-floor"].total_ms;
      const limit = 1.25 * floor;
      const slowerTotal = peerValues(s, "total_ms").filter(([, v]) => v <= cf.total_ms);
      const slowerFirst = peerValues(s, "ttfc_ms").filter(([, v]) => v <= cf.ttfc_ms);
      const behind = [
        ...slowerTotal.map(([p]) => `${p} (total)`),
        ...slowerFirst.map(([p]) => `${p} (first chunk)`),
      ];
      out.push({
        scenario: "stream",
        target,
        met: cf.total_ms <= limit && behind.length === 0,
        detail:
          `${fmt(cf.total_ms)} ms vs limit ${fmt(limit)} ms (= 1.25 × (${
            fmt(s["raw-fetch"].total_ms)
          } + ${fmt(s["genkit-floor"].total_ms)})), ${
            (cf.total_ms / floor).toFixed(2)
          }x the floor; first chunk ${fmt(cf.ttfc_ms)} ms; ` +
          (behind.length === 0 ? "ahead of every peer" : `not ahead of ${behind.join(", ")}`),
      });
    }
  }
  // embed-10k
  {
    const target = "at most half the time of the best peer";
    const s = scenarios["embed-10k"];
    const cf = s?.[PLUGIN]?.total_ms;
    const peers = s ? peerValues(s, "total_ms") : [];
    if (!s || cf === undefined || peers.length === 0) {
      missing(
        "embed-10k",
        target,
        cf === undefined ? "not measured: the plugin's embedder is missing" : "no peer measured",
      );
    } else {
      const [bestName, best] = peers.reduce((a, b) => (b[1] < a[1] ? b : a));
      out.push({
        scenario: "embed-10k",
        target,
        met: cf <= best / 2,
        detail: `${fmt(cf)} ms vs ${fmt(best)} ms for the best peer (${bestName}): ${
          (cf / best).toFixed(2)
        }x`,
      });
    }
  }
  // cold-start
  {
    const target = "at most 15 ms added over genkit alone";
    const s = scenarios["cold-start"];
    if (!s?.[PLUGIN] || !s["genkit-only"]) {
      missing("cold-start", target, "not measured");
    } else {
      const added = s[PLUGIN].ms - s["genkit-only"].ms;
      out.push({
        scenario: "cold-start",
        target,
        met: added <= 15,
        detail: `${fmt(added)} ms added (${fmt(s[PLUGIN].ms)} vs ${fmt(s["genkit-only"].ms)} ms)`,
      });
    }
  }
  return out;
}
