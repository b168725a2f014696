import type { BatchJob } from "../domain/job";
import { mapWithConcurrency } from "./concurrency";
import type { JobSource } from "./ports";

export interface WindowScanOptions {
  /** Submit-time slices the window is cut into, each listed on its own. */
  slices: number;
  /** Slices listed at once. */
  concurrency: number;
}

export const DEFAULT_SCAN: WindowScanOptions = { slices: 8, concurrency: 4 };

export interface WindowScan {
  /** What `keep` kept, one entry per job (a page repeated by a restarted listing counts once). */
  kept: Map<string, BatchJob>;
  /** The latest submit time listed (kept or not): the watermark may move on it. */
  latestSubmit: Date | null;
  /** Job summaries listed, repeats included. */
  listed: number;
}

/**
 * Lists every job submitted in (`from`, `to`) and keeps only what `keep` returns from each page, so a window of
 * 100,000 jobs (about 100 pages) is never held whole: only the pages in flight and what was kept. The window is cut
 * into submit-time slices listed in parallel, so its wall time is that of the longest slice, not of all pages.
 */
export async function scanWindow(
  jobs: JobSource,
  window: { from: Date; to: Date },
  keep: (page: BatchJob[]) => Promise<BatchJob[]>,
  options: WindowScanOptions = DEFAULT_SCAN,
): Promise<WindowScan> {
  const result: WindowScan = { kept: new Map(), latestSubmit: null, listed: 0 };
  const span = window.to.getTime() - window.from.getTime();
  const count = Math.max(1, Math.min(options.slices, Math.ceil(span / 60_000)));
  const bounds = Array.from({ length: count + 1 }, (_, index) => window.from.getTime() + (span * index) / count);
  const slices = bounds.slice(0, -1).map((start, index) => ({
    // Both bounds are exclusive in the API: start each slice 1 ms early so a job submitted exactly on a bound
    // is listed (twice at most, merged by ARN) rather than by neither neighbour.
    after: new Date(Math.floor(start) - (index === 0 ? 0 : 1)),
    before: new Date(Math.ceil(bounds[index + 1] ?? window.to.getTime())),
  }));
  await mapWithConcurrency(slices, options.concurrency, async (slice) => {
    for await (const page of jobs.pagesSubmittedBetween(slice.after, slice.before)) {
      result.listed += page.length;
      for (const job of page) {
        if (!result.latestSubmit || job.submitTime > result.latestSubmit) result.latestSubmit = job.submitTime;
      }
      for (const job of await keep(page)) result.kept.set(job.jobArn, job);
    }
  });
  return result;
}
