import type { NotifierEvent } from "../domain/notifier-event";
import { WARNING_KINDS } from "../domain/warnings";
import { MalformedEventError } from "../errors";

/**
 * Checks an SNS message body (a transition or, since 1.1, an early warning) against
 * `schema/job-status-event.v1.json` by hand (the runtime bundle carries no JSON Schema validator). Members this
 * version does not know are ignored, as the schema promises consumers.
 * Lengths are capped far above anything Bedrock produces, so a renderer's size arithmetic stays bounded.
 */
const MAX_TEXT = 2048;
const MAX_MESSAGE = 262_144;
const SCHEMA_VERSION = /^1\.[0-9]+$/;
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

class Checker {
  readonly problems: string[] = [];

  text(object: Json, path: string, key: string, options: { nullable?: boolean; max?: number } = {}): void {
    const value = object[key];
    if (value === null && options.nullable) return;
    if (typeof value !== "string" || value.length === 0) {
      this.problems.push(`${path}${key} must be a non-empty string${options.nullable ? " or null" : ""}`);
    } else if (value.length > (options.max ?? MAX_TEXT)) {
      this.problems.push(`${path}${key} is longer than ${options.max ?? MAX_TEXT} characters`);
    }
  }

  pattern(object: Json, path: string, key: string, pattern: RegExp, shape: string, nullable = false): void {
    const value = object[key];
    if (value === null && nullable) return;
    if (
      typeof value !== "string" ||
      !pattern.test(value) ||
      (shape === "a date-time" && Number.isNaN(Date.parse(value)))
    ) {
      this.problems.push(`${path}${key} must be ${shape}${nullable ? " or null" : ""}`);
    }
  }

  count(object: Json, path: string, key: string): void {
    const value = object[key];
    if (value !== null && !(typeof value === "number" && Number.isInteger(value) && value >= 0)) {
      this.problems.push(`${path}${key} must be a whole number ≥ 0 or null`);
    }
  }

  number(
    object: Json,
    path: string,
    key: string,
    options: { min?: number; max?: number; nullable?: boolean } = {},
  ): void {
    const value = object[key];
    if (value === null && options.nullable) return;
    const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = options;
    if (!(typeof value === "number" && Number.isFinite(value) && value >= min && value <= max)) {
      const range =
        options.min !== undefined && options.max !== undefined
          ? ` from ${min} to ${max}`
          : options.min !== undefined
            ? ` ≥ ${min}`
            : "";
      this.problems.push(`${path}${key} must be a number${range}${options.nullable ? " or null" : ""}`);
    }
  }

  oneOf(object: Json, path: string, key: string, allowed: readonly string[]): void {
    if (!allowed.includes(object[key] as string))
      this.problems.push(`${path}${key} must be one of ${allowed.join(", ")}`);
  }
}

function checkJob(job: unknown, checker: Checker): void {
  if (!isObject(job)) {
    checker.problems.push("job must be an object");
    return;
  }
  const path = "job.";
  checker.text(job, path, "jobArn");
  checker.text(job, path, "jobId", { nullable: true });
  checker.text(job, path, "jobName");
  checker.text(job, path, "modelId");
  checker.text(job, path, "status", { max: 100 });
  if (job.message !== null && typeof job.message !== "string")
    checker.problems.push("job.message must be a string or null");
  else if (typeof job.message === "string" && job.message.length > MAX_MESSAGE)
    checker.problems.push(`job.message is longer than ${MAX_MESSAGE} characters`);
  if (job.messageTruncated !== undefined && typeof job.messageTruncated !== "boolean")
    checker.problems.push("job.messageTruncated must be a boolean");
  checker.pattern(job, path, "submitTime", ISO_DATE_TIME, "a date-time");
  for (const key of ["lastModifiedTime", "endTime", "jobExpirationTime"]) {
    checker.pattern(job, path, key, ISO_DATE_TIME, "a date-time", true);
  }
  checker.count(job, path, "timeoutDurationInHours");
  for (const key of ["modelInvocationType", "inputS3Uri", "outputS3Uri", "region", "accountId"]) {
    checker.text(job, path, key, { nullable: true });
  }
  if (!isObject(job.records)) {
    checker.problems.push("job.records must be an object");
  } else {
    for (const key of ["total", "processed", "success", "error"]) checker.count(job.records, "job.records.", key);
  }
  if (job.progress !== undefined) checkProgress(job.progress, checker);
}

/** `job.progress` (since 1.1): optional on a transition, present on every warning. */
function checkProgress(progress: unknown, checker: Checker): void {
  if (!isObject(progress)) {
    checker.problems.push("job.progress must be an object");
    return;
  }
  const path = "job.progress.";
  checker.count(progress, path, "processed");
  checker.count(progress, path, "total");
  checker.number(progress, path, "errorRate", { min: 0, max: 1, nullable: true });
  checker.number(progress, path, "recordsPerHour", { min: 0, nullable: true });
  checker.pattern(progress, path, "eta", ISO_DATE_TIME, "a date-time", true);
}

/** The `warning` of a JobWarning event: its kind, unit, threshold, observed value and summary. */
function checkWarning(warning: unknown, checker: Checker): void {
  if (!isObject(warning)) {
    checker.problems.push("warning must be an object");
    return;
  }
  const path = "warning.";
  checker.oneOf(warning, path, "kind", WARNING_KINDS);
  checker.oneOf(warning, path, "unit", ["minutes", "percent"]);
  checker.number(warning, path, "threshold");
  checker.number(warning, path, "observed");
  checker.text(warning, path, "summary");
}

const TRANSITION_TYPES = ["JobStatusChanged", "JobDiscovered"] as const;

/**
 * Parses and validates one events-topic message body, a transition or an early warning (`type` tells them apart);
 * throws MalformedEventError naming every problem, by field, never quoting a value.
 */
export function parseNotifierEvent(body: string): NotifierEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // The parser's message quotes the input; say only that it was not JSON.
    throw new MalformedEventError(["the body is not JSON"]);
  }
  if (!isObject(parsed)) throw new MalformedEventError(["the body is not a JSON object"]);

  const checker = new Checker();
  checker.pattern(parsed, "", "schemaVersion", SCHEMA_VERSION, "a 1.x version");
  checker.pattern(parsed, "", "eventId", EVENT_ID, "a UUID-shaped id");
  checker.oneOf(parsed, "", "type", [...TRANSITION_TYPES, "JobWarning"]);
  checker.oneOf(parsed, "", "source", ["bedrock-job-notifier"]);
  checker.pattern(parsed, "", "detectedAt", ISO_DATE_TIME, "a date-time");
  if (parsed.type === "JobWarning") {
    // A warning has no previous status (its status did not change), and is always a warning.
    checker.oneOf(parsed, "", "severity", ["warning"]);
    checkWarning(parsed.warning, checker);
    if (isObject(parsed.job) && parsed.job.progress === undefined) checker.problems.push("job.progress is missing");
  } else {
    checker.text(parsed, "", "previousStatus", { nullable: true, max: 100 });
    checker.oneOf(parsed, "", "severity", ["error", "warning", "info"]);
  }
  checkJob(parsed.job, checker);

  if (checker.problems.length > 0) throw new MalformedEventError(checker.problems);
  return parsed as unknown as NotifierEvent;
}
