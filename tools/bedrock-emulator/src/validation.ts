import { type ConstraintViolation, validationError, violation } from "./errors";
import { isJobStatus, JOB_STATUSES, type JobStatus, type ModelInvocationType, type VpcConfigInput } from "./model";

// Patterns and limits copied from the Bedrock service model (botocore bedrock/2023-04-20 and the API reference).
// The SDK checks none of them client-side, so the emulator must, or code that is wrong would pass locally.
export const JOB_NAME_PATTERN = /^[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\-.]){0,63}$/;
const JOB_NAME_PATTERN_TEXT = "[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}";
export const JOB_IDENTIFIER_PATTERN =
  /^((arn:aws(-[^:]+)?:bedrock:([a-z0-9-]{1,20}):([0-9]{12}):model-invocation-job\/)?([a-z0-9]{12}))$/;
const JOB_IDENTIFIER_PATTERN_TEXT =
  "((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})";
const IDEMPOTENCY_TOKEN_PATTERN = /^[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}$/;
const IDEMPOTENCY_TOKEN_PATTERN_TEXT = "[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}";
const ROLE_ARN_PATTERN = /^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role\/.+$/;
const ROLE_ARN_PATTERN_TEXT = "arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+";
// Verbatim from the API reference (its inner "$" anchors included), wrapped so the whole value must match.
const MODEL_ID_PATTERN =
  /^(?:(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model\/[a-z0-9-]{1,63}[.]{1}[a-z0-9-:]{1,63}\/[a-z0-9]{12}$)|(:foundation-model\/([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+)$)|([0-9]{12}:(inference-profile|application-inference-profile)\/[a-zA-Z0-9-:.]+$)))|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+))$/;
const S3_URI_PATTERN = /^s3:\/\/[a-z0-9][-.a-z0-9]{1,61}(?:\/[-!_*'().a-z0-9A-Z]+(?:\/[-!_*'().a-z0-9A-Z]+)*)?\/?$/;
const S3_URI_PATTERN_TEXT = "s3://[a-z0-9][-.a-z0-9]{1,61}(?:/[-!_*'().a-z0-9A-Z]+(?:/[-!_*'().a-z0-9A-Z]+)*)?/?";
const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;
const KMS_KEY_ID_PATTERN =
  /^((arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:((key\/[a-zA-Z0-9-]{36})|(alias\/[a-zA-Z0-9-_/]+)))|([a-zA-Z0-9-]{36})|(alias\/[a-zA-Z0-9-_/]+))$/;
// SubnetId and SecurityGroupId: pattern [-0-9a-zA-Z]+ (so at least one character), at most 32.
const VPC_ID_PATTERN = /^[-0-9a-zA-Z]{1,32}$/;
// TagKey (1–128) and TagValue (0–256) share one pattern; at most 200 tags (TagList).
const TAG_PATTERN = /^[a-zA-Z0-9\s._:/=+@-]*$/;
const TAG_PATTERN_TEXT = "[a-zA-Z0-9\\s._:/=+@-]*";
const MAX_TAGS = 200;
// The ISO 8601 date-time form the SDKs and the AWS CLI put in query strings.
const ISO_8601_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

export const MIN_TIMEOUT_HOURS = 24;
export const MAX_TIMEOUT_HOURS = 168;
export const MAX_PAGE_SIZE = 1000;

export type SortOrder = "Ascending" | "Descending";

export interface ListQuery {
  submitTimeAfterMs: number | undefined;
  submitTimeBeforeMs: number | undefined;
  statusEquals: JobStatus | undefined;
  nameContains: string | undefined;
  maxResults: number;
  nextToken: string | undefined;
  sortOrder: SortOrder;
}

function parseTimestamp(field: string, raw: string | null, violations: ConstraintViolation[]): number | undefined {
  if (raw === null) return undefined;
  const ms = ISO_8601_PATTERN.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    violations.push(violation(field, raw, "Member must be a timestamp in ISO 8601 date-time format"));
    return undefined;
  }
  return ms;
}

/**
 * Reads ListModelInvocationJobs query parameters. Default order is CreationTime Descending (newest first):
 * the API reference states no default, the console lists newest first, and a poller wants recent jobs first.
 */
export function parseListQuery(params: URLSearchParams, defaultMaxResults: number): ListQuery {
  const violations: ConstraintViolation[] = [];
  const submitTimeAfterMs = parseTimestamp("submitTimeAfter", params.get("submitTimeAfter"), violations);
  const submitTimeBeforeMs = parseTimestamp("submitTimeBefore", params.get("submitTimeBefore"), violations);

  const rawStatus = params.get("statusEquals");
  let statusEquals: JobStatus | undefined;
  if (rawStatus !== null) {
    if (isJobStatus(rawStatus)) statusEquals = rawStatus;
    else
      violations.push(
        violation("statusEquals", rawStatus, `Member must satisfy enum value set: [${JOB_STATUSES.join(", ")}]`),
      );
  }

  const nameContains = params.get("nameContains") ?? undefined;
  if (nameContains !== undefined) checkJobName("nameContains", nameContains, violations);

  let maxResults = defaultMaxResults;
  const rawMaxResults = params.get("maxResults");
  if (rawMaxResults !== null) {
    const parsed = /^-?\d+$/.test(rawMaxResults) ? Number(rawMaxResults) : Number.NaN;
    if (Number.isNaN(parsed)) violations.push(violation("maxResults", rawMaxResults, "Member must be an integer"));
    else if (parsed < 1)
      violations.push(violation("maxResults", rawMaxResults, "Member must have value greater than or equal to 1"));
    else if (parsed > MAX_PAGE_SIZE)
      violations.push(
        violation("maxResults", rawMaxResults, `Member must have value less than or equal to ${MAX_PAGE_SIZE}`),
      );
    else maxResults = parsed;
  }

  const nextToken = params.get("nextToken") ?? undefined;
  if (nextToken !== undefined) {
    if (nextToken.length < 1)
      violations.push(violation("nextToken", nextToken, "Member must have length greater than or equal to 1"));
    else if (nextToken.length > 2048)
      violations.push(violation("nextToken", nextToken, "Member must have length less than or equal to 2048"));
    else if (/\s/.test(nextToken))
      violations.push(violation("nextToken", nextToken, "Member must satisfy regular expression pattern: \\S*"));
  }

  const sortBy = params.get("sortBy");
  if (sortBy !== null && sortBy !== "CreationTime")
    violations.push(violation("sortBy", sortBy, "Member must satisfy enum value set: [CreationTime]"));

  const rawSortOrder = params.get("sortOrder");
  let sortOrder: SortOrder = "Descending";
  if (rawSortOrder !== null) {
    if (rawSortOrder === "Ascending" || rawSortOrder === "Descending") sortOrder = rawSortOrder;
    else
      violations.push(
        violation("sortOrder", rawSortOrder, "Member must satisfy enum value set: [Ascending, Descending]"),
      );
  }

  if (violations.length > 0) throw validationError(violations);
  return { submitTimeAfterMs, submitTimeBeforeMs, statusEquals, nameContains, maxResults, nextToken, sortOrder };
}

function checkJobName(field: string, value: string, violations: ConstraintViolation[]): void {
  if (value.length < 1) violations.push(violation(field, value, "Member must have length greater than or equal to 1"));
  else if (value.length > 63)
    violations.push(violation(field, value, "Member must have length less than or equal to 63"));
  else if (!JOB_NAME_PATTERN.test(value))
    violations.push(
      violation(field, value, `Member must satisfy regular expression pattern: ${JOB_NAME_PATTERN_TEXT}`),
    );
}

export interface JobIdentifier {
  jobId: string;
  /** Present when the caller passed a full ARN; a foreign partition, region or account finds nothing. */
  arn?: { partition: string; region: string; accountId: string };
}

/** Accepts an ARN or a bare 12-character id, already URI-decoded. */
export function parseJobIdentifier(raw: string): JobIdentifier {
  const violations: ConstraintViolation[] = [];
  if (raw.length > 1011)
    violations.push(violation("jobIdentifier", raw, "Member must have length less than or equal to 1011"));
  const match = JOB_IDENTIFIER_PATTERN.exec(raw);
  if (!match) {
    violations.push(
      violation("jobIdentifier", raw, `Member must satisfy regular expression pattern: ${JOB_IDENTIFIER_PATTERN_TEXT}`),
    );
  }
  if (violations.length > 0 || !match) throw validationError(violations);
  const jobId = match[6] ?? "";
  if (match[2] === undefined) return { jobId };
  return {
    jobId,
    arn: { partition: `aws${match[3] ?? ""}`, region: match[4] ?? "", accountId: match[5] ?? "" },
  };
}

export interface CreateJobInput {
  jobName: string;
  roleArn: string;
  clientRequestToken: string | undefined;
  modelId: string;
  inputS3Uri: string;
  s3InputFormat: string | undefined;
  inputBucketOwner: string | undefined;
  outputS3Uri: string;
  outputKmsKeyId: string | undefined;
  outputBucketOwner: string | undefined;
  vpcConfig: VpcConfigInput | undefined;
  timeoutDurationInHours: number | undefined;
  modelInvocationType: ModelInvocationType | undefined;
  tags: Array<{ key: string; value: string }> | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(
  body: Record<string, unknown>,
  field: string,
  path: string,
  violations: ConstraintViolation[],
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    violations.push(violation(path, value, "Member must be a string"));
    return undefined;
  }
  return value;
}

function requiredString(
  body: Record<string, unknown>,
  field: string,
  path: string,
  violations: ConstraintViolation[],
): string | undefined {
  const value = optionalString(body, field, path, violations);
  if (value === undefined && (body[field] === undefined || body[field] === null))
    violations.push(violation(path, null, "Member must not be null"));
  return value;
}

function checkPattern(
  path: string,
  value: string | undefined,
  pattern: RegExp,
  patternText: string,
  violations: ConstraintViolation[],
): void {
  if (value !== undefined && !pattern.test(value))
    violations.push(violation(path, value, `Member must satisfy regular expression pattern: ${patternText}`));
}

function checkLength(
  path: string,
  value: string | undefined,
  min: number,
  max: number,
  violations: ConstraintViolation[],
): void {
  if (value === undefined) return;
  if (value.length < min)
    violations.push(violation(path, value, `Member must have length greater than or equal to ${min}`));
  else if (value.length > max)
    violations.push(violation(path, value, `Member must have length less than or equal to ${max}`));
}

function readUnionMember(
  body: Record<string, unknown>,
  field: string,
  member: string,
  violations: ConstraintViolation[],
): Record<string, unknown> {
  const union = body[field];
  if (union === undefined || union === null) {
    violations.push(violation(field, null, "Member must not be null"));
    return {};
  }
  if (!isRecord(union) || !isRecord(union[member])) {
    violations.push(violation(`${field}.${member}`, union, "Member must not be null"));
    return {};
  }
  return union[member];
}

function readVpcConfig(body: Record<string, unknown>, violations: ConstraintViolation[]): VpcConfigInput | undefined {
  const raw = body.vpcConfig;
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    violations.push(violation("vpcConfig", raw, "Member must be a structure"));
    return undefined;
  }
  const readIds = (field: "subnetIds" | "securityGroupIds", max: number): string[] => {
    const ids = raw[field];
    const path = `vpcConfig.${field}`;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string" || !VPC_ID_PATTERN.test(id))) {
      violations.push(violation(path, ids, "Member must be a list of 1 to 32 characters matching [-0-9a-zA-Z]+"));
      return [];
    }
    if (ids.length < 1 || ids.length > max)
      violations.push(violation(path, ids, `Member must have length between 1 and ${max}`));
    return ids as string[];
  };
  return { subnetIds: readIds("subnetIds", 16), securityGroupIds: readIds("securityGroupIds", 5) };
}

/** Checks a CreateModelInvocationJob body against the model's constraints; reports every violation at once. */
export function parseCreateJobInput(body: unknown): CreateJobInput {
  if (!isRecord(body)) throw validationError([violation("body", body, "Member must be a JSON object")]);
  const violations: ConstraintViolation[] = [];

  const jobName = requiredString(body, "jobName", "jobName", violations);
  if (jobName !== undefined) checkJobName("jobName", jobName, violations);

  const roleArn = requiredString(body, "roleArn", "roleArn", violations);
  checkLength("roleArn", roleArn, 0, 2048, violations);
  checkPattern("roleArn", roleArn, ROLE_ARN_PATTERN, ROLE_ARN_PATTERN_TEXT, violations);

  const clientRequestToken = optionalString(body, "clientRequestToken", "clientRequestToken", violations);
  checkLength("clientRequestToken", clientRequestToken, 1, 256, violations);
  checkPattern(
    "clientRequestToken",
    clientRequestToken,
    IDEMPOTENCY_TOKEN_PATTERN,
    IDEMPOTENCY_TOKEN_PATTERN_TEXT,
    violations,
  );

  const modelId = requiredString(body, "modelId", "modelId", violations);
  checkLength("modelId", modelId, 1, 2048, violations);
  if (modelId !== undefined && modelId.length <= 2048 && !MODEL_ID_PATTERN.test(modelId))
    violations.push(violation("modelId", modelId, "Member must satisfy the ModelId regular expression pattern"));

  const input = readUnionMember(body, "inputDataConfig", "s3InputDataConfig", violations);
  const inputS3Uri = requiredString(input, "s3Uri", "inputDataConfig.s3InputDataConfig.s3Uri", violations);
  checkLength("inputDataConfig.s3InputDataConfig.s3Uri", inputS3Uri, 1, 1024, violations);
  checkPattern("inputDataConfig.s3InputDataConfig.s3Uri", inputS3Uri, S3_URI_PATTERN, S3_URI_PATTERN_TEXT, violations);
  const s3InputFormat = optionalString(
    input,
    "s3InputFormat",
    "inputDataConfig.s3InputDataConfig.s3InputFormat",
    violations,
  );
  if (s3InputFormat !== undefined && s3InputFormat !== "JSONL")
    violations.push(
      violation(
        "inputDataConfig.s3InputDataConfig.s3InputFormat",
        s3InputFormat,
        "Member must satisfy enum value set: [JSONL]",
      ),
    );
  const inputBucketOwner = optionalString(
    input,
    "s3BucketOwner",
    "inputDataConfig.s3InputDataConfig.s3BucketOwner",
    violations,
  );
  checkPattern(
    "inputDataConfig.s3InputDataConfig.s3BucketOwner",
    inputBucketOwner,
    ACCOUNT_ID_PATTERN,
    "[0-9]{12}",
    violations,
  );

  const output = readUnionMember(body, "outputDataConfig", "s3OutputDataConfig", violations);
  const outputS3Uri = requiredString(output, "s3Uri", "outputDataConfig.s3OutputDataConfig.s3Uri", violations);
  checkLength("outputDataConfig.s3OutputDataConfig.s3Uri", outputS3Uri, 1, 1024, violations);
  checkPattern(
    "outputDataConfig.s3OutputDataConfig.s3Uri",
    outputS3Uri,
    S3_URI_PATTERN,
    S3_URI_PATTERN_TEXT,
    violations,
  );
  const outputKmsKeyId = optionalString(
    output,
    "s3EncryptionKeyId",
    "outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId",
    violations,
  );
  checkPattern(
    "outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId",
    outputKmsKeyId,
    KMS_KEY_ID_PATTERN,
    "a KMS key id, key ARN, alias or alias ARN",
    violations,
  );
  const outputBucketOwner = optionalString(
    output,
    "s3BucketOwner",
    "outputDataConfig.s3OutputDataConfig.s3BucketOwner",
    violations,
  );
  checkPattern(
    "outputDataConfig.s3OutputDataConfig.s3BucketOwner",
    outputBucketOwner,
    ACCOUNT_ID_PATTERN,
    "[0-9]{12}",
    violations,
  );

  const vpcConfig = readVpcConfig(body, violations);

  let timeoutDurationInHours: number | undefined;
  const rawTimeout = body.timeoutDurationInHours;
  if (rawTimeout !== undefined && rawTimeout !== null) {
    if (typeof rawTimeout !== "number" || !Number.isInteger(rawTimeout))
      violations.push(violation("timeoutDurationInHours", rawTimeout, "Member must be an integer"));
    else if (rawTimeout < MIN_TIMEOUT_HOURS)
      violations.push(
        violation(
          "timeoutDurationInHours",
          rawTimeout,
          `Member must have value greater than or equal to ${MIN_TIMEOUT_HOURS}`,
        ),
      );
    else if (rawTimeout > MAX_TIMEOUT_HOURS)
      violations.push(
        violation(
          "timeoutDurationInHours",
          rawTimeout,
          `Member must have value less than or equal to ${MAX_TIMEOUT_HOURS}`,
        ),
      );
    else timeoutDurationInHours = rawTimeout;
  }

  const rawInvocationType = optionalString(body, "modelInvocationType", "modelInvocationType", violations);
  let modelInvocationType: ModelInvocationType | undefined;
  if (rawInvocationType !== undefined) {
    if (rawInvocationType === "InvokeModel" || rawInvocationType === "Converse")
      modelInvocationType = rawInvocationType;
    else
      violations.push(
        violation(
          "modelInvocationType",
          rawInvocationType,
          "Member must satisfy enum value set: [InvokeModel, Converse]",
        ),
      );
  }

  let tags: Array<{ key: string; value: string }> | undefined;
  const rawTags = body.tags;
  if (rawTags !== undefined && rawTags !== null) {
    const valid =
      Array.isArray(rawTags) &&
      rawTags.length <= MAX_TAGS &&
      rawTags.every((tag) => isRecord(tag) && typeof tag.key === "string" && typeof tag.value === "string");
    if (valid) {
      tags = rawTags as Array<{ key: string; value: string }>;
      tags.forEach((tag, index) => {
        checkLength(`tags.${index + 1}.member.key`, tag.key, 1, 128, violations);
        checkPattern(`tags.${index + 1}.member.key`, tag.key, TAG_PATTERN, TAG_PATTERN_TEXT, violations);
        checkLength(`tags.${index + 1}.member.value`, tag.value, 0, 256, violations);
        checkPattern(`tags.${index + 1}.member.value`, tag.value, TAG_PATTERN, TAG_PATTERN_TEXT, violations);
      });
    } else
      violations.push(violation("tags", rawTags, `Member must be a list of at most ${MAX_TAGS} {key, value} tags`));
  }

  if (violations.length > 0) throw validationError(violations);
  return {
    jobName: jobName ?? "",
    roleArn: roleArn ?? "",
    clientRequestToken,
    modelId: modelId ?? "",
    inputS3Uri: inputS3Uri ?? "",
    s3InputFormat,
    inputBucketOwner,
    outputS3Uri: outputS3Uri ?? "",
    outputKmsKeyId,
    outputBucketOwner,
    vpcConfig,
    timeoutDurationInHours,
    modelInvocationType,
    tags,
  };
}
