import type { JobStatusEvent } from "./event";
import type { JobWarningEvent } from "./warning-event";

/**
 * Everything the events topic carries (schema 1.1): a transition (`JobDiscovered`, `JobStatusChanged`) or an early
 * warning (`JobWarning`). `type` tells them apart.
 */
export type NotifierEvent = JobStatusEvent | JobWarningEvent;

export function isWarning(event: NotifierEvent): event is JobWarningEvent {
  return event.type === "JobWarning";
}
