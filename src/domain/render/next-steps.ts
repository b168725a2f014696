import type { JobStatusEvent } from "../event";
import { isKnownStatus } from "../status";

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
        "Submit it again, with a longer timeout (up to 168 hours) or when the model is less busy.",
        "Check the batch inference quotas for this model and region in Service Quotas.",
      ];
    case "PartiallyCompleted":
      return [
        "Some records failed: in the .jsonl.out files, those lines carry an error object (errorCode, errorMessage) instead of modelOutput.",
        outputHint,
        "Resubmit only the failed records as a new job.",
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
