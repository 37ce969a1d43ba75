/**
 * The mutable state of one emulator: what it expects, what it received, the
 * faults queued and the in-flight count.
 *
 * @module
 */

import type { JudgeMode } from "./judge.ts";
import { RateLimiter } from "./ratelimit.ts";
import type { EmulatorOptions, Fault, RecordedRequest } from "./types.ts";

/** The mutable state of one emulator. */
export interface EmulatorState {
  /** Expected account id. */
  readonly accountId: string;
  /** Expected API token. */
  readonly apiToken: string;
  /** Service time option. */
  readonly serviceTimeMs: number | ((req: RecordedRequest) => number);
  /** Gap between SSE events. */
  readonly streamEventDelayMs: number;
  /** Wait before a stream's first SSE event. */
  readonly streamFirstEventDelayMs: number;
  /** Every request received. */
  requests: RecordedRequest[];
  /** Queued faults with their remaining uses. */
  faults: { fault: Fault; remaining: number }[];
  /** Model requests being answered now. */
  inFlight: number;
  /** Most model requests ever in flight at once. */
  maxInFlight: number;
  /** Aborted when the emulator closes. */
  readonly closing: AbortController;
  /** Counter for `chatcmpl-<n>` ids. */
  completions: number;
  /** Whether the Llama 3.2 Vision license must be agreed to first. */
  readonly requireLicenseAgreement: boolean;
  /** Whether a `{"prompt": "agree"}` request to Llama 3.2 Vision was received. */
  licenseAgreed: boolean;
  /** The per-task rate limits and their counters. */
  readonly limiter: RateLimiter;
  /** Whether `/ai/run` requests are judged by the published input schemas. */
  readonly judge: JudgeMode;
  /** The last prompt's words per `x-session-affinity` key, whose prefix a repeat reads from cache. */
  readonly prefixCache: Map<string, readonly string[]>;
  /** The account's fine-tunes. */
  readonly finetunes: readonly Record<string, unknown>[];
}

/** Creates the state of an emulator from its options. */
export function createState(options: EmulatorOptions = {}): EmulatorState {
  return {
    accountId: options.accountId ?? "emulator-account",
    apiToken: options.apiToken ?? "emulator-token",
    serviceTimeMs: options.serviceTimeMs ?? 0,
    streamEventDelayMs: options.streamEventDelayMs ?? 0,
    streamFirstEventDelayMs: options.streamFirstEventDelayMs ?? 0,
    requests: [],
    faults: [],
    inFlight: 0,
    maxInFlight: 0,
    closing: new AbortController(),
    completions: 0,
    requireLicenseAgreement: options.requireLicenseAgreement ?? false,
    licenseAgreed: false,
    limiter: new RateLimiter(options.rateLimits),
    judge: options.judge ?? "published",
    prefixCache: new Map(),
    finetunes: options.finetunes ?? [],
  };
}
