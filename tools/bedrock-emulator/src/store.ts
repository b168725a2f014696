import { isTerminal, JOB_STATUSES, type JobRecord, type JobStatus } from "./model";
import { SortedJobList } from "./sorted-jobs";
import type { PageCursor } from "./token";
import type { SortOrder } from "./validation";

export interface PageQuery {
  submitTimeAfterMs: number | undefined;
  submitTimeBeforeMs: number | undefined;
  statusEquals: JobStatus | undefined;
  nameContains: string | undefined;
  sortOrder: SortOrder;
  limit: number;
  cursor: PageCursor | undefined;
}

export interface Page {
  jobs: JobRecord[];
  /** Whether at least one more job matches after the last one returned. */
  hasMore: boolean;
}

interface IdempotencyEntry {
  job: JobRecord;
  requestFingerprint: string;
}

/**
 * Jobs and their indexes: by id, by submit time (all jobs), by submit time within each status, the open
 * (non-terminal) jobs, and the idempotency tokens of created jobs. Lists never scan all jobs: a time window or
 * a status narrows the range by binary search first.
 */
export class JobStore {
  private readonly byId = new Map<string, JobRecord>();
  private readonly bySubmitTime = new SortedJobList();
  private readonly byStatus = new Map<JobStatus, SortedJobList>(
    JOB_STATUSES.map((status) => [status, new SortedJobList()]),
  );
  private readonly open = new Set<JobRecord>();
  private readonly idempotency = new Map<string, IdempotencyEntry>();

  get size(): number {
    return this.byId.size;
  }

  has(jobId: string): boolean {
    return this.byId.has(jobId);
  }

  get(jobId: string): JobRecord | undefined {
    return this.byId.get(jobId);
  }

  /** Adds a job; bulk=true defers sorting to the next read, for fast seeding. */
  add(job: JobRecord, bulk = false): void {
    if (this.byId.has(job.jobId)) throw new Error(`A job with id ${job.jobId} already exists`);
    this.byId.set(job.jobId, job);
    const statusList = this.statusList(job.status);
    if (bulk) {
      this.bySubmitTime.append(job);
      statusList.append(job);
    } else {
      this.bySubmitTime.insert(job);
      statusList.insert(job);
    }
    if (!isTerminal(job.status)) this.open.add(job);
  }

  /** Moves a job to another status, keeping the status index and the open set in step. */
  setStatus(job: JobRecord, status: JobStatus): void {
    if (job.status === status) return;
    this.statusList(job.status).remove(job);
    job.status = status;
    this.statusList(status).insert(job);
    if (isTerminal(status)) this.open.delete(job);
    else this.open.add(job);
  }

  /** Only the jobs that can still change; lifecycle advancement never touches finished jobs. */
  openJobs(): ReadonlySet<JobRecord> {
    return this.open;
  }

  /** Every job, ascending by submit time. */
  all(): readonly JobRecord[] {
    return this.bySubmitTime.all();
  }

  countByStatus(status: JobStatus): number {
    return this.statusList(status).size;
  }

  rememberToken(token: string, job: JobRecord, requestFingerprint: string): void {
    this.idempotency.set(token, { job, requestFingerprint });
  }

  findByToken(token: string): IdempotencyEntry | undefined {
    return this.idempotency.get(token);
  }

  /** One page in O(log N + scanned), where scanned is the page size unless nameContains skips jobs. */
  page(query: PageQuery): Page {
    const list = query.statusEquals ? this.statusList(query.statusEquals) : this.bySubmitTime;
    const jobs = list.all();
    // "After" and "before" are exclusive: a job submitted exactly at the bound is outside the window.
    let low = query.submitTimeAfterMs === undefined ? 0 : list.firstIndexSubmittedAfter(query.submitTimeAfterMs);
    let high =
      query.submitTimeBeforeMs === undefined
        ? jobs.length
        : list.firstIndexSubmittedAtOrAfter(query.submitTimeBeforeMs);
    const cursor = query.cursor;
    if (cursor) {
      if (query.sortOrder === "Ascending")
        low = Math.max(low, list.firstIndexAfter(cursor.submitMs, cursor.jobId, true));
      else high = Math.min(high, list.firstIndexAfter(cursor.submitMs, cursor.jobId, false));
    }

    const needle = query.nameContains?.toLowerCase();
    const matches = (job: JobRecord): boolean => needle === undefined || job.jobName.toLowerCase().includes(needle);
    const page: JobRecord[] = [];
    const ascending = query.sortOrder === "Ascending";
    const step = ascending ? 1 : -1;
    for (let index = ascending ? low : high - 1; ascending ? index < high : index >= low; index += step) {
      const job = jobs[index] as JobRecord;
      if (!matches(job)) continue;
      if (page.length === query.limit) return { jobs: page, hasMore: true };
      page.push(job);
    }
    return { jobs: page, hasMore: false };
  }

  private statusList(status: JobStatus): SortedJobList {
    const list = this.byStatus.get(status);
    if (!list) throw new Error(`Unknown status ${status}`);
    return list;
  }
}
