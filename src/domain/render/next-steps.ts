import type { EventJob } from "../event";
import { isWarning, type JobEvent } from "../notifier-event";
import { isKnownStatus } from "../status";
import type { WarningKind } from "../warnings";

/** The longest timeout Bedrock accepts for a batch job (timeoutDurationInHours is 24–168). */
const MAX_TIMEOUT_HOURS = 168;

const QUOTAS =
  "Check the batch inference quotas for this model and region in Service Quotas (concurrent jobs, records per job), and whether other jobs of the account hold the capacity.";

/**
 * What a person can do before an early warning comes true. The job is still open: each step is something to check
 * now, or to change for the next job.
 */
function warningSteps(kind: WarningKind, job: EventJob): string[] {
  const output = job.outputS3Uri ?? "the job's S3 output location";
  switch (kind) {
    case "StuckInStatus":
      return [
        "The job has not started yet: Bedrock runs it when capacity for the model frees up.",
        QUOTAS,
        "If it must finish soon, consider stopping it and resubmitting it in another region that offers the model.",
      ];
    case "ExpiryApproaching":
      return [
        "The job has not started and will end Expired, with no output, if it does not start before its expiration time.",
        QUOTAS,
        "Consider stopping it and resubmitting it in another region that offers the model, or with a longer timeout (up to 168 hours).",
      ];
    case "HighErrorRate":
      return [
        `Inspect the error records in the output (.jsonl.out files under ${output}): a failed record carries an error instead of modelOutput.`,
        "Fix the input records or the model parameters they share; if most records fail the same way, consider stopping the job to save cost.",
      ];
    case "NoProgress":
      return [
        "Check the model's throttling and quotas for batch inference in this region (Service Quotas, and the job's page in the Bedrock console).",
        "If nothing moves, consider stopping the job and resubmitting it later or in another region that offers the model.",
      ];
    case "MayNotFinish":
      return [
        "Records not processed before the timeout get no output: the job would end PartiallyCompleted.",
        "Let it run; afterwards, resubmit the records without output as a new job.",
        "Next time, split the input into smaller jobs or raise the timeout (timeoutDurationInHours, up to 168 hours).",
      ];
  }
}

/**
 * What a person can do about the new status (or, for an early warning, before it comes true), in plain words.
 * Channels format these lists their own way (Amazon Q Developer's `nextSteps`, a Slack section, an Adaptive Card
 * list, email lines).
 */
export function nextStepsFor(event: JobEvent): string[] {
  if (isWarning(event)) return warningSteps(event.warning.kind, event.job);
  const outputHint = event.job.outputS3Uri
    ? `Results (.jsonl.out files) and a manifest.json.out summary are under ${event.job.outputS3Uri}.`
    : "Results (.jsonl.out files) and a manifest.json.out summary are in the job's S3 output location.";

  switch (event.job.status) {
    case "Failed":
      return [
        "Read the failure reason: most failures are input format (one JSON object per line with recordId and modelInput), too few or too many records, or access.",
        "Check that the job's service role can read the input, write the output and use any KMS key on them.",
        "Fix the cause and submit a new job (a failed job cannot be restarted).",
      ];
    case "Expired":
      return [
        "The job waited in the queue and never started before its timeout (timeoutDurationInHours).",
        (event.job.timeoutDurationInHours ?? 0) >= MAX_TIMEOUT_HOURS
          ? "Its timeout was already the maximum (168 hours): submit it again when the model is less busy, or in another region that offers it."
          : "Submit it again, with a longer timeout (up to 168 hours) or when the model is less busy.",
        "Check the batch inference quotas for this model and region in Service Quotas.",
      ];
    case "PartiallyCompleted":
      return [
        "The job reached its timeout before all records could be processed: records processed in time have output, the rest do not.",
        outputHint,
        "Resubmit the records without output as a new job, with a longer timeout (up to 168 hours) or split into smaller jobs.",
      ];
    case "Stopped":
      return ["The job was stopped before it finished; records processed before the stop have output.", outputHint];
    case "Completed":
      return [outputHint];
    default:
      return isKnownStatus(event.job.status)
        ? []
        : ["Bedrock reported a status this notifier does not know yet: check the job in the Bedrock console."];
  }
}
