import { createHash } from "node:crypto";
import type { Clock } from "./clock";
import { BedrockError } from "./errors";
import { evaluateSchedule, type LifecycleDefaults, scheduleFromPlan, stopSchedule } from "./lifecycle";
import { clampMessage, expiredMessage, failureMessage } from "./messages";
import { isTerminal, type JobPlan, JobRecord, type JobStatus, type SeedJob, STOPPABLE_STATUSES } from "./model";
import { deriveSeed, mulberry32, type Random, randomJobId } from "./random";
import { buildSeededJob, type SeedContext, terminalMessagesFor } from "./seeding";
import { JobStore } from "./store";
import { PageTokenCodec } from "./token";
import { type CreateJobInput, type ListQuery, parseJobIdentifier } from "./validation";
import { type EmulatorIdentity, jobArnOf, messageContextOf } from "./wire-format";

export interface JobServiceOptions {
  clock: Clock;
  identity: EmulatorIdentity;
  seed: number;
  /** Name of the job-id stream derived from the seed; one per scope, so each scope's ids are deterministic. */
  idStream: string;
  lifecycle: LifecycleDefaults;
  defaultMaxResults: number;
  defaultTimeoutHours: number;
  /** The plan a job created through the API follows. */
  createPlan: JobPlan | ((input: CreateJobInput) => JobPlan);
  /** Open jobs allowed before Create answers ServiceQuotaExceededException; unlimited when undefined. */
  maxOpenJobs: number | undefined;
}

export interface JobStatePatch {
  status: JobStatus;
  message?: string;
  processed?: number;
  success?: number;
  error?: number;
  total?: number;
  lastModifiedTime?: Date;
  endTime?: Date;
  /** Extension: follow this plan from the new status on, instead of staying put. */
  plan?: JobPlan;
}

export interface ListResult {
  jobs: JobRecord[];
  nextToken: string | undefined;
}

/** Key-sorted JSON, so two requests with the same members in another order count as the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The emulated control plane without HTTP: jobs, their lifecycle on the clock, and the four operations'
 * rules. Every entry point first brings open jobs up to the clock (lazily, so no timers are needed and a
 * ManualClock fully controls what callers see).
 */
export class JobService {
  readonly store = new JobStore();
  private readonly idRandom: Random;
  private readonly tokens: PageTokenCodec;
  private lastSyncMs = Number.NEGATIVE_INFINITY;
  private jobNameCounter = 0;

  constructor(private readonly options: JobServiceOptions) {
    this.idRandom = mulberry32(deriveSeed(options.seed, options.idStream));
    this.tokens = new PageTokenCodec(`${options.seed}:${options.identity.accountId}:${options.identity.region}`);
  }

  get identity(): EmulatorIdentity {
    return this.options.identity;
  }

  /** Advances open jobs to the clock and returns the instant used; never moves a job backwards in time. */
  sync(): number {
    const nowMs = Math.max(this.options.clock.now().getTime(), this.lastSyncMs);
    if (nowMs === this.lastSyncMs) return nowMs;
    this.lastSyncMs = nowMs;
    for (const job of this.store.openJobs()) {
      if (job.nextChangeMs > nowMs) continue;
      this.store.setStatus(job, evaluateSchedule(job, nowMs));
    }
    return nowMs;
  }

  addJob(seed: SeedJob): JobRecord {
    const job = buildSeededJob(seed, this.seedContext(this.sync()));
    this.store.add(job);
    return job;
  }

  addJobs(seeds: Iterable<SeedJob>): number {
    const context = this.seedContext(this.sync());
    let count = 0;
    for (const seed of seeds) {
      this.store.add(buildSeededJob(seed, context), true);
      count++;
    }
    return count;
  }

  /** Looks a job up by bare id or ARN, for programmatic callers (no validation errors, undefined if absent). */
  resolve(jobIdOrArn: string): JobRecord | undefined {
    this.sync();
    const slash = jobIdOrArn.lastIndexOf("/");
    return this.store.get(slash >= 0 ? jobIdOrArn.slice(slash + 1) : jobIdOrArn);
  }

  setJobState(jobIdOrArn: string, patch: JobStatePatch): JobRecord {
    const job = this.resolve(jobIdOrArn);
    if (!job) throw new RangeError(`No job ${jobIdOrArn} in the emulator`);
    const nowMs = this.lastSyncMs;
    const atMs = patch.lastModifiedTime?.getTime() ?? nowMs;
    if (patch.plan && !isTerminal(patch.status)) {
      // The job keeps its record total unless the patch or the plan says otherwise.
      const plan = { ...patch.plan, totalRecords: patch.plan.totalRecords ?? patch.total ?? job.totalRecords };
      const messages = terminalMessagesFor(job, this.identity, plan);
      job.schedule = scheduleFromPlan(job, plan, this.options.lifecycle, messages, { status: patch.status, atMs });
      job.totalRecords = plan.totalRecords;
      job.lastModifiedMs = atMs;
      job.endMs = undefined;
      this.store.setStatus(job, evaluateSchedule(job, nowMs));
      return job;
    }
    job.schedule = undefined;
    job.nextChangeMs = Number.POSITIVE_INFINITY;
    if (patch.total !== undefined) job.totalRecords = patch.total;
    if (patch.processed !== undefined) job.processedRecords = patch.processed;
    if (patch.success !== undefined) job.successRecords = patch.success;
    if (patch.error !== undefined) job.errorRecords = patch.error;
    job.lastModifiedMs = atMs;
    job.endMs = patch.endTime?.getTime() ?? (isTerminal(patch.status) ? atMs : undefined);
    if (patch.message !== undefined) job.message = clampMessage(patch.message);
    else if (patch.status !== job.status) job.message = this.defaultMessageFor(job, patch.status);
    this.store.setStatus(job, patch.status);
    return job;
  }

  /** Finds a job for an API call: validates the identifier, and a foreign ARN finds nothing (404). */
  find(rawIdentifier: string): JobRecord {
    this.sync();
    const identifier = parseJobIdentifier(rawIdentifier);
    const { region, accountId } = this.identity;
    const foreign =
      identifier.arn !== undefined &&
      (identifier.arn.partition !== "aws" ||
        identifier.arn.region !== region ||
        identifier.arn.accountId !== accountId);
    const job = foreign ? undefined : this.store.get(identifier.jobId);
    if (!job)
      throw new BedrockError(
        "ResourceNotFoundException",
        `The specified model invocation job ${rawIdentifier} was not found.`,
      );
    return job;
  }

  list(query: ListQuery): ListResult {
    this.sync();
    const filter = {
      submitTimeAfterMs: query.submitTimeAfterMs,
      submitTimeBeforeMs: query.submitTimeBeforeMs,
      statusEquals: query.statusEquals,
      nameContains: query.nameContains,
      sortOrder: query.sortOrder,
    };
    const cursor = query.nextToken === undefined ? undefined : this.tokens.decode(query.nextToken, filter);
    const page = this.store.page({ ...filter, limit: query.maxResults, cursor });
    const last = page.jobs[page.jobs.length - 1];
    const nextToken =
      page.hasMore && last ? this.tokens.encode(filter, { submitMs: last.submitMs, jobId: last.jobId }) : undefined;
    return { jobs: page.jobs, nextToken };
  }

  /** Creates a job, or returns the one an earlier identical request with the same token created. */
  create(input: CreateJobInput): JobRecord {
    const nowMs = this.sync();
    const { clientRequestToken, ...request } = input;
    const requestFingerprint = createHash("sha256").update(canonicalJson(request)).digest("hex");
    if (clientRequestToken !== undefined) {
      const earlier = this.store.findByToken(clientRequestToken);
      if (earlier) {
        if (earlier.requestFingerprint === requestFingerprint) return earlier.job;
        throw new BedrockError(
          "ConflictException",
          `The clientRequestToken ${clientRequestToken} was already used with different request parameters.`,
        );
      }
    }
    const maxOpenJobs = this.options.maxOpenJobs;
    if (maxOpenJobs !== undefined && this.store.openJobs().size >= maxOpenJobs) {
      throw new BedrockError(
        "ServiceQuotaExceededException",
        `You have reached the quota of ${maxOpenJobs} batch inference jobs in progress or queued for this account. ` +
          "Wait for some jobs to finish, or request a quota increase.",
      );
    }

    const job = new JobRecord(
      this.newJobId(),
      input.jobName,
      input.modelId,
      nowMs,
      input.timeoutDurationInHours ?? this.options.defaultTimeoutHours,
      "Submitted",
    );
    job.roleArn = input.roleArn;
    job.clientRequestToken = clientRequestToken;
    job.inputS3Uri = input.inputS3Uri;
    job.s3InputFormat = input.s3InputFormat;
    job.inputBucketOwner = input.inputBucketOwner;
    job.outputS3Uri = input.outputS3Uri;
    job.outputKmsKeyId = input.outputKmsKeyId;
    job.outputBucketOwner = input.outputBucketOwner;
    job.vpcConfig = input.vpcConfig;
    job.modelInvocationType = input.modelInvocationType;
    const createPlan = this.options.createPlan;
    const plan = typeof createPlan === "function" ? createPlan(input) : createPlan;
    job.schedule = scheduleFromPlan(job, plan, this.options.lifecycle, terminalMessagesFor(job, this.identity, plan));
    job.totalRecords = Math.max(0, Math.floor(plan.totalRecords ?? this.options.lifecycle.totalRecords));
    job.status = evaluateSchedule(job, nowMs);
    this.store.add(job);
    if (clientRequestToken !== undefined) this.store.rememberToken(clientRequestToken, job, requestFingerprint);
    return job;
  }

  /** Stopping now, Stopped after the stop delay. A job that can no longer be stopped is a ValidationException. */
  stop(rawIdentifier: string): void {
    const job = this.find(rawIdentifier);
    if (!STOPPABLE_STATUSES.has(job.status)) {
      // The real service answers ValidationException here, its message ending "State was: <status>".
      throw new BedrockError(
        "ValidationException",
        `Job ${jobArnOf(this.identity, job.jobId)} cannot be stopped: only Submitted, Validating, Scheduled or ` +
          `InProgress jobs can be stopped. State was: ${job.status}`,
      );
    }
    const nowMs = this.lastSyncMs;
    job.schedule = stopSchedule(nowMs, this.options.lifecycle.stopDelayMs);
    this.store.setStatus(job, evaluateSchedule(job, nowMs));
  }

  private defaultMessageFor(job: JobRecord, status: JobStatus): string | undefined {
    if (status === "Failed") return failureMessage(messageContextOf(job, this.identity), 0);
    if (status === "Expired") return expiredMessage(messageContextOf(job, this.identity));
    return undefined;
  }

  private seedContext(nowMs: number): SeedContext {
    return {
      identity: this.identity,
      lifecycle: this.options.lifecycle,
      defaultTimeoutHours: this.options.defaultTimeoutHours,
      nowMs,
      newJobId: () => this.newJobId(),
      newJobName: () => `batch-job-${String(++this.jobNameCounter).padStart(6, "0")}`,
    };
  }

  private newJobId(): string {
    let id = randomJobId(this.idRandom);
    while (this.store.has(id)) id = randomJobId(this.idRandom);
    return id;
  }
}
