/** Words a failure message can mention, so messages name the job's own S3 locations and role. */
export interface MessageContext {
  inputS3Uri: string;
  outputS3Uri: string;
  roleArn: string;
  totalRecords: number;
  timeoutHours: number;
}

/**
 * Failure reasons in the style Bedrock reports them. The first is the default: a validation error about the
 * input file is by far the most common way a batch job fails.
 */
const FAILURE_TEMPLATES: ReadonlyArray<(context: MessageContext) => string> = [
  (c) =>
    `Validation failed for input file ${c.inputS3Uri}: record at line 57 is not valid JSON. ` +
    "Each line must be a JSON object with a modelInput field.",
  (c) =>
    `Validation failed for input file ${c.inputS3Uri}: the job contains 12 records, but a batch inference ` +
    "job needs at least 100 records.",
  (c) =>
    `Amazon Bedrock could not read ${c.inputS3Uri}. Check that the object exists and that the service role ` +
    `${c.roleArn} allows s3:GetObject and s3:ListBucket on it.`,
  (c) =>
    `Amazon Bedrock could not write results to ${c.outputS3Uri}. Check that the service role ${c.roleArn} ` +
    "allows s3:PutObject on the output location and that the bucket policy does not deny it.",
  (c) =>
    `Amazon Bedrock could not assume the service role ${c.roleArn}. Check that its trust policy allows ` +
    "bedrock.amazonaws.com to call sts:AssumeRole.",
  (c) => `Validation failed for input file ${c.inputS3Uri}: record at line 3 is missing the required field modelInput.`,
  () => "Internal error while processing records. Submit the job again. If the problem persists, contact AWS Support.",
];

export const FAILURE_MESSAGE_COUNT = FAILURE_TEMPLATES.length;

/** The message field is 0–2048 characters in the model; a longer custom message is cut, as the service would. */
export const MAX_MESSAGE_LENGTH = 2048;

export function failureMessage(context: MessageContext, variant = 0): string {
  const template = FAILURE_TEMPLATES[Math.abs(Math.trunc(variant)) % FAILURE_TEMPLATES.length] ?? FAILURE_TEMPLATES[0];
  return template ? template(context) : "Internal error.";
}

export function expiredMessage(context: MessageContext): string {
  return (
    `The job expired: it was scheduled but did not start within its timeout of ${context.timeoutHours} hours. ` +
    "Submit a new job."
  );
}

export function clampMessage(message: string | undefined): string | undefined {
  return message === undefined ? undefined : message.slice(0, MAX_MESSAGE_LENGTH);
}
