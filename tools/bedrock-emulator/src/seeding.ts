import { evaluateSchedule, type LifecycleDefaults, scheduleFromPlan, type TerminalMessages } from "./lifecycle";
import { clampMessage, expiredMessage, FAILURE_MESSAGE_COUNT, failureMessage } from "./messages";
import { isJobStatus, isTerminal, type JobPlan, JobRecord, type JobStatus, type SeedJob } from "./model";
import { JOB_NAME_PATTERN, MAX_TIMEOUT_HOURS, MIN_TIMEOUT_HOURS } from "./validation";
import { DEFAULT_MODEL_ID, type EmulatorIdentity, messageContextOf } from "./wire-format";

/** What turning a SeedJob into a stored job needs from the emulator. */
export interface SeedContext {
  identity: EmulatorIdentity;
  lifecycle: LifecycleDefaults;
  defaultTimeoutHours: number;
  nowMs: number;
  newJobId(): string;
  newJobName(): string;
}

/** A stable message variant per job, so seeded failures read differently but identically across runs. */
function variantOf(jobId: string): number {
  let sum = 0;
  for (let index = 0; index < jobId.length; index++) sum += jobId.charCodeAt(index);
  return sum % FAILURE_MESSAGE_COUNT;
}

export function terminalMessagesFor(job: JobRecord, identity: EmulatorIdentity, plan: JobPlan): TerminalMessages {
  const context = messageContextOf(job, identity);
  // A job failing mid-run did pass validation: blame the output location rather than the input file.
  const failure = plan.failDuring === "InProgress" ? failureMessage(context, 3) : failureMessage(context, 0);
  return { failure, expired: expiredMessage(context) };
}

function checkSeed(seed: SeedJob, timeoutHours: number, jobName: string): void {
  if (seed.status !== undefined && !isJobStatus(seed.status)) throw new RangeError(`Unknown job status ${seed.status}`);
  if (!Number.isInteger(timeoutHours) || timeoutHours < MIN_TIMEOUT_HOURS || timeoutHours > MAX_TIMEOUT_HOURS)
    throw new RangeError(
      `timeoutDurationInHours must be an integer in ${MIN_TIMEOUT_HOURS}..${MAX_TIMEOUT_HOURS}, got ${timeoutHours}`,
    );
  if (!JOB_NAME_PATTERN.test(jobName))
    throw new RangeError(`Job name ${JSON.stringify(jobName)} does not match the service pattern`);
  if (seed.jobId !== undefined && !/^[a-z0-9]{12}$/.test(seed.jobId))
    throw new RangeError(`jobId must be 12 characters of [a-z0-9], got ${JSON.stringify(seed.jobId)}`);
}

/**
 * Turns a SeedJob into a stored job, brought to its state at nowMs. See SeedJob for how status and plan
 * combine. Cheap enough for bulk seeding: strings that can be derived are left undefined.
 */
export function buildSeededJob(seed: SeedJob, context: SeedContext): JobRecord {
  const submitMs = seed.submitTime?.getTime() ?? context.nowMs;
  const timeoutHours = seed.timeoutDurationInHours ?? context.defaultTimeoutHours;
  const jobName = seed.jobName ?? context.newJobName();
  checkSeed(seed, timeoutHours, jobName);
  const jobId = seed.jobId ?? context.newJobId();
  const job = new JobRecord(
    jobId,
    jobName,
    seed.modelId ?? DEFAULT_MODEL_ID,
    submitMs,
    timeoutHours,
    seed.status ?? "Submitted",
  );
  job.roleArn = seed.roleArn;
  job.clientRequestToken = seed.clientRequestToken;
  job.inputS3Uri = seed.inputS3Uri;
  job.outputS3Uri = seed.outputS3Uri;
  job.modelInvocationType = seed.modelInvocationType;
  job.vpcConfig = seed.vpcConfig;

  const status = seed.status;
  if (status !== undefined && isTerminal(status)) {
    fillTerminal(job, status, seed, context);
  } else if (seed.plan !== undefined || status === undefined) {
    followPlan(job, seed, seed.plan ?? {}, context);
  } else {
    fillFrozen(job, status, seed, context);
  }
  return job;
}

function followPlan(job: JobRecord, seed: SeedJob, plan: JobPlan, context: SeedContext): void {
  // A job seeded as Submitted has been so since it was submitted; any other status since "now".
  const anchorMs = seed.lastModifiedTime?.getTime() ?? (seed.status === "Submitted" ? job.submitMs : context.nowMs);
  const anchor = seed.status ? { status: seed.status, atMs: anchorMs } : undefined;
  job.schedule = scheduleFromPlan(
    job,
    plan,
    context.lifecycle,
    terminalMessagesFor(job, context.identity, plan),
    anchor,
  );
  job.totalRecords = Math.max(0, Math.floor(plan.totalRecords ?? context.lifecycle.totalRecords));
  job.lastModifiedMs = job.schedule?.transitions[0]?.atMs ?? job.submitMs;
  job.status = evaluateSchedule(job, context.nowMs);
  applyCountOverrides(job, seed);
}

/** An open job with no plan stays in its status until setJobState or Stop moves it. */
function fillFrozen(job: JobRecord, status: JobStatus, seed: SeedJob, context: SeedContext): void {
  job.totalRecords = context.lifecycle.totalRecords;
  if (status === "InProgress" || status === "Stopping") {
    job.processedRecords = Math.floor(job.totalRecords / 2);
    job.successRecords = job.processedRecords;
  }
  job.lastModifiedMs = seed.lastModifiedTime?.getTime() ?? job.submitMs;
  job.endMs = seed.endTime?.getTime();
  job.message = clampMessage(seed.message);
  applyCountOverrides(job, seed);
}

function fillTerminal(job: JobRecord, status: JobStatus, seed: SeedJob, context: SeedContext): void {
  const plan = seed.plan ?? {};
  const lifecycle = context.lifecycle;
  const total = Math.max(0, Math.floor(plan.totalRecords ?? lifecycle.totalRecords));
  const defaultFailed = status === "PartiallyCompleted" ? Math.ceil(total * 0.05) : 0;
  const failed = Math.min(total, Math.max(0, Math.floor(plan.failedRecords ?? defaultFailed)));
  job.totalRecords = total;
  if (status === "Completed" || status === "PartiallyCompleted") {
    job.processedRecords = total;
    job.errorRecords = failed;
    job.successRecords = total - failed;
  } else if (status === "Stopped" || (status === "Failed" && plan.failDuring === "InProgress")) {
    job.processedRecords = Math.floor(total / 3);
    job.errorRecords = Math.min(failed, job.processedRecords);
    job.successRecords = job.processedRecords - job.errorRecords;
  }

  const lifetimeMs =
    (plan.validateMs ?? lifecycle.validateMs) +
    (status === "Failed" && plan.failDuring !== "InProgress"
      ? 0
      : (plan.scheduleMs ?? lifecycle.scheduleMs) + (plan.runMs ?? lifecycle.runMs));
  const naturalEndMs = status === "Expired" ? job.expirationMs : job.submitMs + lifetimeMs;
  // A job seeded as finished cannot have ended in the future: pull the end back to now if needed.
  job.endMs = seed.endTime?.getTime() ?? Math.max(job.submitMs, Math.min(naturalEndMs, context.nowMs));
  job.lastModifiedMs = seed.lastModifiedTime?.getTime() ?? job.endMs;

  const explicit = seed.message ?? plan.failureMessage;
  if (explicit !== undefined) job.message = clampMessage(explicit);
  else if (status === "Failed")
    job.message = failureMessage(messageContextOf(job, context.identity), variantOf(job.jobId));
  else if (status === "Expired") job.message = expiredMessage(messageContextOf(job, context.identity));
  applyCountOverrides(job, seed);
}

function applyCountOverrides(job: JobRecord, seed: SeedJob): void {
  if (seed.totalRecordCount !== undefined) job.totalRecords = seed.totalRecordCount;
  if (seed.processedRecordCount !== undefined) job.processedRecords = seed.processedRecordCount;
  if (seed.successRecordCount !== undefined) job.successRecords = seed.successRecordCount;
  if (seed.errorRecordCount !== undefined) job.errorRecords = seed.errorRecordCount;
  if (seed.message !== undefined && job.schedule === undefined) job.message = clampMessage(seed.message);
}
