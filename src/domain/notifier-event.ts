import type { DailyDigestEvent } from "./digest";
import type { JobStatusEvent } from "./event";
import type { JobWarningEvent } from "./warning-event";

/** An event about one job: a transition (`JobDiscovered`, `JobStatusChanged`) or an early warning (`JobWarning`). */
export type JobEvent = JobStatusEvent | JobWarningEvent;

/**
 * Everything the events topic carries (schema 1.1): an event about one job, or the daily digest (`DailyDigest`,
 * which has no `job`). `type` tells them apart.
 */
export type NotifierEvent = JobEvent | DailyDigestEvent;

export function isWarning(event: NotifierEvent): event is JobWarningEvent {
  return event.type === "JobWarning";
}

export function isDigest(event: NotifierEvent): event is DailyDigestEvent {
  return event.type === "DailyDigest";
}
