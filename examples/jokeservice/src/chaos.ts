const MiB = 1024 * 1024;

/**
 * Allocates `mib` MiB and writes to every byte, so the pages are resident (counted in RSS
 * and in the cgroup's working set, which is what an OOM kill looks at) rather than merely
 * reserved: a freshly allocated zero buffer may be mapped lazily and cost nothing.
 * Chunks of 1 MiB keep each allocation ordinary; the caller must hold the result.
 */
export function hogMemory(mib: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < mib; i++) chunks.push(Buffer.allocUnsafeSlow(MiB).fill((i % 255) + 1));
  return chunks;
}

/** Whether this answer is one of the injected failures: `rate` of them on average. */
export function injectFailure(rate: number, random: () => number): boolean {
  return rate > 0 && random() < rate;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
