/**
 * What a scenario's client process shares (`image_client.ts`,
 * `transcribe_client.ts`): the process's peak resident memory, and the
 * warm-up and timed rounds of one call. It imports nothing, so a client's
 * peak is that of its own modules.
 *
 * @module
 */

/** The kernel's high-water mark of this process's resident memory (Linux), in bytes. */
function highWaterMark(): number | undefined {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
    if (kb > 0) return kb * 1024;
  } catch { /* not Linux */ }
  return undefined;
}

/** The peak resident memory: the kernel's high-water mark, or sampled where there is none. */
export class PeakMemory {
  #sampled = 0;
  // Sampled every 5 ms only where the kernel keeps no high-water mark (the
  // sampling costs CPU time that would be charged to the client).
  readonly #sampler = highWaterMark() === undefined
    ? setInterval(() => {
      this.#sampled = Math.max(this.#sampled, Deno.memoryUsage().rss);
    }, 5)
    : undefined;

  /** The peak so far, in bytes. */
  now(): number {
    return highWaterMark() ?? Math.max(this.#sampled, Deno.memoryUsage().rss);
  }

  /** Stops sampling and gives the peak. */
  stop(): number {
    if (this.#sampler !== undefined) clearInterval(this.#sampler);
    return this.now();
  }
}

/** One warm-up call, then `rounds` timed ones: their times in ms and the last answer. */
export async function timedRounds<T>(
  once: () => Promise<T>,
  rounds: number,
): Promise<{ ms: number[]; last: T }> {
  let last = await once(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    last = await once();
    ms.push(performance.now() - t0);
  }
  return { ms, last };
}
