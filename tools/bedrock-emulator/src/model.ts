import type { GetModelInvocationJobResponse } from "@aws-sdk/client-bedrock";

/** The ten statuses of the current service model, in the order the model lists them. */
export const JOB_STATUSES = [
  "Submitted",
  "InProgress",
  "Completed",
  "Failed",
  "Stopping",
  "Stopped",
  "PartiallyCompleted",
  "Expired",
  "Validating",
  "Scheduled",
] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>([
  "Completed",
  "PartiallyCompleted",
  "Failed",
  "Stopped",
  "Expired",
]);

/** Statuses from which StopModelInvocationJob is accepted; anything else gets a ValidationException. */
export const STOPPABLE_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>([
  "Submitted",
  "Validating",
  "Scheduled",
  "InProgress",
]);

export function isJobStatus(value: string): value is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value);
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export type ModelInvocationType = "InvokeModel" | "Converse";

export type Operation =
  | "ListModelInvocationJobs"
  | "GetModelInvocationJob"
  | "CreateModelInvocationJob"
  | "StopModelInvocationJob";

export const OPERATIONS: readonly Operation[] = [
  "ListModelInvocationJobs",
  "GetModelInvocationJob",
  "CreateModelInvocationJob",
  "StopModelInvocationJob",
];

/** How a job will live; all durations in ms on the emulator clock. */
export interface JobPlan {
  /** Time spent in Submitted and Validating together (the first third in Submitted). */
  validateMs?: number;
  /** Time spent in Scheduled, waiting for capacity. */
  scheduleMs?: number;
  /** Time spent in InProgress. */
  runMs?: number;
  /** Expired means the job never leaves Scheduled until its jobExpirationTime. */
  outcome?: "Completed" | "PartiallyCompleted" | "Failed" | "Expired";
  failureMessage?: string;
  totalRecords?: number;
  /** Records that end in error (errorRecordCount); for PartiallyCompleted defaults to 5% of the total. */
  failedRecords?: number;
  /** Extension: where a Failed outcome happens. Validating (default: bad input file) or InProgress. */
  failDuring?: "Validating" | "InProgress";
  /** Extension: how often record counts (and so lastModifiedTime) move while InProgress. */
  progressIntervalMs?: number;
}

export interface VpcConfigInput {
  subnetIds: string[];
  securityGroupIds: string[];
}

/**
 * A job to put in the emulator without HTTP. With a plan, the job follows it: from submitTime, or, when
 * status is also given, from the moment that status began (lastModifiedTime, else now). With an open
 * status and no plan, the job stays where it is until setJobState or Stop moves it.
 */
export interface SeedJob {
  jobName?: string;
  modelId?: string;
  submitTime?: Date;
  status?: JobStatus;
  message?: string;
  plan?: JobPlan;
  timeoutDurationInHours?: number;
  endTime?: Date;
  lastModifiedTime?: Date;
  // Extensions beyond the agreed surface.
  jobId?: string;
  roleArn?: string;
  clientRequestToken?: string;
  inputS3Uri?: string;
  outputS3Uri?: string;
  modelInvocationType?: ModelInvocationType;
  vpcConfig?: VpcConfigInput;
  totalRecordCount?: number;
  processedRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
}

/** The GetModelInvocationJob response shape, timestamps as Date (what the SDK hands its callers). */
export type JobView = GetModelInvocationJobResponse;

/** A planned future of an open job: status changes at fixed instants, record counts moving in ticks. */
export interface JobSchedule {
  transitions: Array<{ atMs: number; status: JobStatus; message?: string }>;
  progress?: JobProgress;
}

/** Record counting while InProgress: counts advance once per tick between startMs and finishMs. */
export interface JobProgress {
  startMs: number;
  /** When all records would be processed; progress stops earlier if the job leaves InProgress first. */
  finishMs: number;
  total: number;
  failed: number;
  tickMs: number;
}

/**
 * One job as stored. Times are epoch ms (numbers are smaller and faster to compare than Date), and
 * optional members that have a derivable default stay undefined, to keep 100,000 jobs light.
 */
export class JobRecord {
  status: JobStatus;
  message: string | undefined = undefined;
  lastModifiedMs: number;
  endMs: number | undefined = undefined;
  totalRecords = 0;
  processedRecords = 0;
  successRecords = 0;
  errorRecords = 0;
  schedule: JobSchedule | undefined = undefined;
  /** Earliest instant at which the schedule changes something; lets advancement skip idle jobs in O(1). */
  nextChangeMs = Number.POSITIVE_INFINITY;
  roleArn: string | undefined = undefined;
  clientRequestToken: string | undefined = undefined;
  inputS3Uri: string | undefined = undefined;
  outputS3Uri: string | undefined = undefined;
  s3InputFormat: string | undefined = undefined;
  inputBucketOwner: string | undefined = undefined;
  outputBucketOwner: string | undefined = undefined;
  outputKmsKeyId: string | undefined = undefined;
  vpcConfig: VpcConfigInput | undefined = undefined;
  modelInvocationType: ModelInvocationType | undefined = undefined;

  constructor(
    readonly jobId: string,
    readonly jobName: string,
    readonly modelId: string,
    readonly submitMs: number,
    readonly timeoutHours: number,
    status: JobStatus,
  ) {
    this.status = status;
    this.lastModifiedMs = submitMs;
  }

  get expirationMs(): number {
    return this.submitMs + this.timeoutHours * 3_600_000;
  }
}
