import type { NotifierEvent } from "../domain/notifier-event";
import { WARNING_KINDS } from "../domain/warnings";
import { MalformedEventError } from "../errors";

/**
 * Checks an SNS message body (a transition or, since 1.1, an early warning or the daily digest) against
 * `schema/job-status-event.v1.json` by hand (the runtime bundle carries no JSON Schema validator). Members this
 * version does not know are ignored, as the schema promises consumers.
 * Lengths are capped far above anything Bedrock produces, so a renderer's size arithmetic stays bounded.
 */
const MAX_TEXT = 2048;
const MAX_MESSAGE = 262_144;
/** Items in any list of the digest: the SNS size bounds them long before this. */
const MAX_ITEMS = 5_000;
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

  /** A count that is always known (the digest's): a whole number ≥ 0, never null. */
  whole(object: Json, path: string, key: string): void {
    const value = object[key];
    if (!(typeof value === "number" && Number.isInteger(value) && value >= 0)) {
      this.problems.push(`${path}${key} must be a whole number ≥ 0`);
    }
  }

  /** An object whose every member is a whole number ≥ 0 (counts by status, by warning kind). */
  counts(object: Json, path: string, key: string): void {
    const value = object[key];
    if (!isObject(value)) {
      this.problems.push(`${path}${key} must be an object of counts`);
      return;
    }
    for (const name of Object.keys(value)) this.whole(value, `${path}${key}.`, name);
  }

  /** An array of at most MAX_ITEMS objects, each checked by `item` under `path[index].`. */
  list(object: Json, path: string, key: string, item: (value: Json, path: string) => void): void {
    const value = object[key];
    if (!Array.isArray(value) || value.length > MAX_ITEMS) {
      this.problems.push(`${path}${key} must be an array of at most ${MAX_ITEMS} items`);
      return;
    }
    value.forEach((entry, index) => {
      const at = `${path}${key}[${index}]`;
      if (isObject(entry)) item(entry, `${at}.`);
      else this.problems.push(`${at} must be an object`);
    });
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

/** One scope's section of the daily digest (`ScopeDigest` in src/domain/digest.ts). */
function checkScopeDigest(scope: Json, path: string, checker: Checker): void {
  checker.text(scope, path, "scope");
  checker.text(scope, path, "accountId");
  checker.text(scope, path, "region");
  checker.text(scope, path, "unavailable", { nullable: true });
  checker.counts(scope, path, "finished");
  checker.whole(scope, path, "recordsProcessed");
  checker.whole(scope, path, "recordsFailed");
  checker.list(scope, path, "failureReasons", (reason, at) => {
    checker.text(reason, at, "reason", { max: MAX_MESSAGE });
    checker.whole(reason, at, "count");
    if (!isObject(reason.example)) {
      checker.problems.push(`${at}example must be an object`);
      return;
    }
    checker.text(reason.example, `${at}example.`, "jobName");
    checker.text(reason.example, `${at}example.`, "jobArn");
    checker.text(reason.example, `${at}example.`, "message", { max: MAX_MESSAGE });
  });
  checker.list(scope, path, "expired", (job, at) => {
    checker.text(job, at, "jobName");
    checker.text(job, at, "jobArn");
    checker.pattern(job, at, "submitTime", ISO_DATE_TIME, "a date-time");
  });
  checker.counts(scope, path, "warnings");
  checker.whole(scope, path, "openCount");
  checker.list(scope, path, "open", (job, at) => {
    checker.text(job, at, "jobName");
    checker.text(job, at, "jobArn");
    checker.text(job, at, "status", { max: 100 });
    checker.pattern(job, at, "submitTime", ISO_DATE_TIME, "a date-time");
    checker.number(job, at, "ageHours", { min: 0 });
    checker.count(job, at, "processed");
    checker.count(job, at, "total");
    checker.number(job, at, "errorRate", { min: 0, max: 1, nullable: true });
  });
  checker.list(scope, path, "models", (model, at) => {
    checker.text(model, at, "modelId");
    checker.counts(model, at, "finished");
    checker.whole(model, at, "recordsProcessed");
    checker.whole(model, at, "recordsFailed");
  });
}

/** The body of a DailyDigest event (no `job`): its period, totals and per-scope sections. */
function checkDigest(digest: Json, checker: Checker): void {
  checker.oneOf(digest, "", "severity", ["error", "warning", "info"]);
  if (!isObject(digest.period)) {
    checker.problems.push("period must be an object");
  } else {
    checker.pattern(digest.period, "period.", "from", ISO_DATE_TIME, "a date-time");
    checker.pattern(digest.period, "period.", "to", ISO_DATE_TIME, "a date-time");
  }
  if (!isObject(digest.totals)) {
    checker.problems.push("totals must be an object");
  } else {
    const path = "totals.";
    checker.whole(digest.totals, path, "scopes");
    checker.counts(digest.totals, path, "finished");
    for (const key of ["recordsProcessed", "recordsFailed", "open", "warnings"])
      checker.whole(digest.totals, path, key);
  }
  checker.list(digest, "", "scopes", (scope, path) => checkScopeDigest(scope, path, checker));
  checker.whole(digest, "", "scopesOmitted");
}

const TRANSITION_TYPES = ["JobStatusChanged", "JobDiscovered"] as const;

/**
 * Parses and validates one events-topic message body, a transition, an early warning or the daily digest (`type`
 * tells them apart); throws MalformedEventError naming every problem, by field, never quoting a value.
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
  checker.oneOf(parsed, "", "type", [...TRANSITION_TYPES, "JobWarning", "DailyDigest"]);
  checker.oneOf(parsed, "", "source", ["bedrock-job-notifier"]);
  checker.pattern(parsed, "", "detectedAt", ISO_DATE_TIME, "a date-time");
  if (parsed.type === "DailyDigest") {
    // About many jobs: no job block, a period, totals and one section per listed scope.
    checkDigest(parsed, checker);
  } else if (parsed.type === "JobWarning") {
    // A warning has no previous status (its status did not change), and is always a warning.
    checker.oneOf(parsed, "", "severity", ["warning"]);
    checkWarning(parsed.warning, checker);
    if (isObject(parsed.job) && parsed.job.progress === undefined) checker.problems.push("job.progress is missing");
  } else {
    checker.text(parsed, "", "previousStatus", { nullable: true, max: 100 });
    checker.oneOf(parsed, "", "severity", ["error", "warning", "info"]);
  }
  if (parsed.type !== "DailyDigest") checkJob(parsed.job, checker);

  if (checker.problems.length > 0) throw new MalformedEventError(checker.problems);
  return parsed as unknown as NotifierEvent;
}
