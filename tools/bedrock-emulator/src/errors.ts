/**
 * Errors the emulator sends, with the names and HTTP statuses of the Bedrock service model. The SDK reads the
 * name from the x-amzn-errortype header (everything before the first colon) and the text from body.message.
 */
export type ErrorName =
  | "ValidationException"
  | "ConflictException"
  | "ServiceQuotaExceededException"
  | "AccessDeniedException"
  | "ResourceNotFoundException"
  | "ThrottlingException"
  | "InternalServerException"
  | "SerializationException"
  | "UnknownOperationException"
  // Authentication failures, answered before any Bedrock rule by AWS's shared front end.
  | "ExpiredTokenException"
  | "UnrecognizedClientException";

const HTTP_STATUS: Record<ErrorName, number> = {
  ValidationException: 400,
  ConflictException: 400,
  ServiceQuotaExceededException: 400,
  SerializationException: 400,
  AccessDeniedException: 403,
  ExpiredTokenException: 403,
  UnrecognizedClientException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ThrottlingException: 429,
  InternalServerException: 500,
};

/** The suffix the real service appends to the error type; clients must ignore it, so we send it too. */
export const ERROR_TYPE_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/";
/** Authentication errors come from the shared Coral front end, not from Bedrock, and say so in their type. */
const AUTH_ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.coral.service/";

export class BedrockError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly errorName: ErrorName,
    message: string,
  ) {
    super(message);
    this.name = errorName;
    this.httpStatus = HTTP_STATUS[errorName];
  }

  get errorTypeHeader(): string {
    const auth = this.errorName === "ExpiredTokenException" || this.errorName === "UnrecognizedClientException";
    return `${this.errorName}:${auth ? AUTH_ERROR_NAMESPACE : ERROR_TYPE_NAMESPACE}`;
  }
}

/** One broken constraint, in the words Smithy-based services use ("Value 'x' at 'field' failed to ..."). */
export interface ConstraintViolation {
  field: string;
  value: unknown;
  constraint: string;
}

export function violation(field: string, value: unknown, constraint: string): ConstraintViolation {
  return { field, value, constraint };
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // Echoing a 2,000-character input back would bloat the error; the service truncates too.
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** "1 validation error detected: Value 'x' at 'maxResults' failed to satisfy constraint: ...". */
export function validationError(violations: readonly ConstraintViolation[]): BedrockError {
  const count = violations.length;
  const details = violations
    .map((v) => `Value '${describeValue(v.value)}' at '${v.field}' failed to satisfy constraint: ${v.constraint}`)
    .join("; ");
  return new BedrockError(
    "ValidationException",
    `${count} validation error${count === 1 ? "" : "s"} detected: ${details}`,
  );
}
