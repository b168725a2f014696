import { DEFAULT_WARNING_THRESHOLDS, type WarningThresholds } from "../domain/warnings";
import type { EnvironmentReader } from "./environment";

const D = DEFAULT_WARNING_THRESHOLDS;
const WEEK_MINUTES = 7 * 24 * 60;

/** The early warnings' thresholds (deploy params → WARN_* variables); 0 turns a kind off. */
export function readWarningThresholds(reader: EnvironmentReader): WarningThresholds {
  return {
    stuckMinutes: {
      Submitted: reader.wholeNumber("WARN_STUCK_SUBMITTED_MINUTES", D.stuckMinutes.Submitted, 0, WEEK_MINUTES),
      Validating: reader.wholeNumber("WARN_STUCK_VALIDATING_MINUTES", D.stuckMinutes.Validating, 0, WEEK_MINUTES),
      Scheduled: reader.wholeNumber("WARN_STUCK_SCHEDULED_MINUTES", D.stuckMinutes.Scheduled, 0, WEEK_MINUTES),
    },
    expiryLeadHours: reader.wholeNumber("WARN_EXPIRY_HOURS", D.expiryLeadHours, 0, 168),
    expiryLeadPercent: reader.wholeNumber("WARN_EXPIRY_PERCENT", D.expiryLeadPercent, 0, 100),
    errorRatePercent: reader.wholeNumber("WARN_ERROR_RATE_PERCENT", D.errorRatePercent, 0, 100),
    errorRateMinRecords: reader.wholeNumber("WARN_ERROR_RATE_MIN_RECORDS", D.errorRateMinRecords, 1, 1_000_000_000),
    noProgressMinutes: reader.wholeNumber("WARN_NO_PROGRESS_MINUTES", D.noProgressMinutes, 0, WEEK_MINUTES),
    mayNotFinishMinutes: reader.wholeNumber("WARN_MAY_NOT_FINISH_MINUTES", D.mayNotFinishMinutes, 0, WEEK_MINUTES),
  };
}
