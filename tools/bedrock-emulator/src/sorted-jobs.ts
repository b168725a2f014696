import type { JobRecord } from "./model";

/** Sort key of a job in every list: submit time, then job id to break ties deterministically. */
export function compareJobKeys(aSubmitMs: number, aJobId: string, bSubmitMs: number, bJobId: string): number {
  if (aSubmitMs !== bSubmitMs) return aSubmitMs < bSubmitMs ? -1 : 1;
  if (aJobId === bJobId) return 0;
  return aJobId < bJobId ? -1 : 1;
}

function compareJobs(a: JobRecord, b: JobRecord): number {
  return compareJobKeys(a.submitMs, a.jobId, b.submitMs, b.jobId);
}

/**
 * Jobs kept in ascending (submitTime, jobId) order, so that a time window or a page cursor is found by binary
 * search and a page costs O(log N + page size). Bulk appends are cheap: out-of-order appends only mark the
 * list for one sort before its next use, which keeps seeding 100,000 jobs at a single O(N log N) sort.
 */
export class SortedJobList {
  private jobs: JobRecord[] = [];
  private sorted = true;

  get size(): number {
    return this.jobs.length;
  }

  append(job: JobRecord): void {
    const last = this.jobs[this.jobs.length - 1];
    if (last && compareJobs(last, job) > 0) this.sorted = false;
    this.jobs.push(job);
  }

  insert(job: JobRecord): void {
    this.ensureSorted();
    const index = this.firstIndexAfter(job.submitMs, job.jobId, false);
    // New jobs usually carry the latest submit time, so this is nearly always a push.
    if (index === this.jobs.length) this.jobs.push(job);
    else this.jobs.splice(index, 0, job);
  }

  remove(job: JobRecord): void {
    this.ensureSorted();
    const index = this.firstIndexAfter(job.submitMs, job.jobId, false);
    if (this.jobs[index] === job) this.jobs.splice(index, 1);
  }

  /**
   * First index whose key is greater than (submitMs, jobId), or greater-or-equal when inclusive.
   * Pass jobId "" with inclusive=true to find the first job submitted at or after submitMs.
   */
  firstIndexAfter(submitMs: number, jobId: string, strictlyAfter: boolean): number {
    this.ensureSorted();
    let low = 0;
    let high = this.jobs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const job = this.jobs[middle] as JobRecord;
      const order = compareJobKeys(job.submitMs, job.jobId, submitMs, jobId);
      if (order < 0 || (strictlyAfter && order === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First index of a job submitted strictly after the given instant. */
  firstIndexSubmittedAfter(submitMs: number): number {
    this.ensureSorted();
    let low = 0;
    let high = this.jobs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.jobs[middle] as JobRecord).submitMs <= submitMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First index of a job submitted at or after the given instant. */
  firstIndexSubmittedAtOrAfter(submitMs: number): number {
    this.ensureSorted();
    let low = 0;
    let high = this.jobs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.jobs[middle] as JobRecord).submitMs < submitMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  at(index: number): JobRecord | undefined {
    this.ensureSorted();
    return this.jobs[index];
  }

  /** All jobs, ascending. The array is live: do not mutate it. */
  all(): readonly JobRecord[] {
    this.ensureSorted();
    return this.jobs;
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    this.jobs.sort(compareJobs);
    this.sorted = true;
  }
}
