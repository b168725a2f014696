/**
 * The reconciliation benchmarks and the fault campaign measure listing, diffing and announcing; early warnings (sent once per job,
 * measured on their own) would add their own writes to those counts. Every threshold 0 turns every kind off.
 */
export const WARNINGS_OFF = {
  WARN_STUCK_SUBMITTED_MINUTES: "0",
  WARN_STUCK_VALIDATING_MINUTES: "0",
  WARN_STUCK_SCHEDULED_MINUTES: "0",
  WARN_EXPIRY_HOURS: "0",
  WARN_ERROR_RATE_PERCENT: "0",
  WARN_NO_PROGRESS_MINUTES: "0",
  WARN_MAY_NOT_FINISH_MINUTES: "0",
} as const;
