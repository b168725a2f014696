import type { JobStatusEvent } from "../event";
import { isKnownStatus } from "../status";

/** The longest timeout Bedrock accepts for a batch job (timeoutDurationInHours is 24–168). */
const MAX_TIMEOUT_HOURS = 168;

/**
 * What a person can do about the new status, in plain words. Channels format these lists their own way
 * (Amazon Q Developer's `nextSteps`, a Slack section, an Adaptive Card list, email lines).
 */
export function nextStepsFor(event: JobStatusEvent): string[] {
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
