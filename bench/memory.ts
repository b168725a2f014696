import { writeFileSync } from "node:fs";
import { getHeapStatistics } from "node:v8";

const MB = 1024 * 1024;
const toMb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
const HEAP_SAMPLE_MS = 5;

export interface MemoryWatch {
  /** Stops watching and answers the figures of the watched stretch. */
  stop(): {
    rssBeforeMb: number;
    peakRssMb: number;
    processPeakRssMb: number;
    heapUsedBeforeMb: number;
    peakHeapUsedMb: number;
  };
}

/**
 * Starts watching memory for one poll. Collects garbage first (when node runs with --expose-gc), then resets the
 * kernel's RSS high-water mark (`/proc/self/clear_refs` 5, Linux ≥ 4.0, which getrusage's maxRSS follows), so the
 * peak read at the end belongs to the poll and not to setup. V8 keeps pages it has grown into, so after a warm-up
 * the poll's RSS peak can equal the RSS it started with: the sampled heap peak shows what the poll itself needed.
 */
export function watchMemory(): MemoryWatch {
  (globalThis as { gc?: () => void }).gc?.();
  const processPeakBefore = process.resourceUsage().maxRSS * 1024;
  const before = process.memoryUsage();
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // Not Linux, or not allowed: the peak read later is then the process's lifetime peak.
  }
  let peakHeap = before.heapUsed;
  const sample = (): void => {
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  };
  const timer = setInterval(sample, HEAP_SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const peakRss = process.resourceUsage().maxRSS * 1024;
      return {
        rssBeforeMb: toMb(before.rss),
        peakRssMb: toMb(peakRss),
        processPeakRssMb: toMb(Math.max(processPeakBefore, peakRss)),
        heapUsedBeforeMb: toMb(before.heapUsed),
        peakHeapUsedMb: toMb(peakHeap),
      };
    },
  };
}
