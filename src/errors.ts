/**
 * Every error the notifier raises on purpose. Each says what went wrong and what to do, and carries the error that
 * caused it as `cause` (never a webhook URL, never a job's failure message).
 */
export class NotifierError extends Error {
  // Spelled out in each class: the Lambda bundles are minified, which renames classes.
  override name = "NotifierError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Configuration that cannot work; raised at cold start, naming every bad variable at once. */
export class ConfigurationError extends NotifierError {
  override name = "ConfigurationError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

/** Bedrock refused the call: the function's role lacks a permission. Never an empty, silent poll. */
export class BedrockAccessDeniedError extends NotifierError {
  override name = "BedrockAccessDeniedError";
  constructor(operation: string, options?: { cause?: unknown }) {
    super(
      `Bedrock denied ${operation}. Grant the function's role bedrock:ListModelInvocationJobs and ` +
        `bedrock:GetModelInvocationJob on Resource "*" (these actions do not support resource-level permissions).`,
      options,
    );
  }
}

/** The snapshot table or the topic named in the configuration does not exist (or is in another region). */
export class ResourceMissingError extends NotifierError {
  override name = "ResourceMissingError";
  constructor(kind: "table" | "topic", name: string, options?: { cause?: unknown }) {
    super(
      `The ${kind} "${name}" does not exist or is not visible in this region. ` +
        `Check ${kind === "table" ? "SNAPSHOT_TABLE" : "TOPIC_ARN"} and the deployment.`,
      options,
    );
  }
}

/** Bedrock returned a listing that could not be paged through even after starting over. */
export class ListingError extends NotifierError {
  override name = "ListingError";
}

/**
 * An SNS message that is not a v1 job status event. Its reason names fields and expectations only, never the
 * values: the body may hold a job's failure message, which must not reach the logs.
 */
export class MalformedEventError extends NotifierError {
  override name = "MalformedEventError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`Not a v1 job status event: ${problems.join("; ")}`, options);
    this.problems = problems;
  }
}

/**
 * At least one event of the invocation could not be delivered to the channel. Thrown so Lambda retries the
 * invocation and, once retries are spent, sends it to the on-failure destination (the DLQ): nothing is lost silently.
 */
export class ChannelDeliveryError extends NotifierError {
  override name = "ChannelDeliveryError";
  readonly channel: string;
  readonly failed: number;
  constructor(channel: string, failed: number, total: number, options?: { cause?: unknown }) {
    super(`${failed} of ${total} event(s) could not be delivered to ${channel}`, options);
    this.channel = channel;
    this.failed = failed;
  }
}

/** PutEvents answered, but refused the entry; HTTP 200 says nothing about the entries themselves. */
export class EventBusPutError extends NotifierError {
  override name = "EventBusPutError";
  readonly errorCode: string | undefined;
  constructor(busName: string, errorCode: string | undefined, errorMessage: string | undefined) {
    super(
      `EventBridge refused the event on bus "${busName}": ${errorCode ?? "unknown error"} ${errorMessage ?? ""}`.trim(),
    );
    this.errorCode = errorCode;
  }
}

/** The parameter (or the Secrets Manager secret behind `/aws/reference/secretsmanager/...`) could not be read. */
export class SecretUnavailableError extends NotifierError {
  override name = "SecretUnavailableError";
  readonly parameterName: string;
  constructor(parameterName: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot read secret parameter "${parameterName}": ${reason}`, options);
    this.parameterName = parameterName;
  }
}

/** The webhook URL read from the parameter is not one the channel may post to: nothing was posted. */
export class WebhookUrlRefusedError extends NotifierError {
  override name = "WebhookUrlRefusedError";
  constructor(parameterName: string, reason: string) {
    super(
      `Refusing the webhook URL in parameter "${parameterName}": ${reason}. Nothing was posted. Fix the parameter, or ` +
        "the channel's allowed hosts (WEBHOOK_ALLOWED_HOSTS).",
    );
  }
}

/**
 * A webhook post failed. A webhook URL is a bearer secret (whoever has it can post to the channel), so neither the
 * message nor the cause contains it.
 */
export class WebhookDeliveryError extends NotifierError {
  override name = "WebhookDeliveryError";
  /** HTTP status, or undefined when no response arrived (timeout, connection refused, DNS). */
  readonly status: number | undefined;
  /** How long the webhook asked us to wait (a 429's or 503's `Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    status: number | undefined,
    options?: { cause?: unknown; retryAfterMs?: number | undefined },
  ) {
    super(message, options);
    this.status = status;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * An AWS request stopped because the invocation's time is nearly up: another attempt, or the wait before it, would
 * have run past the Lambda deadline. The SDK does not retry it; the next invocation starts with fresh time.
 */
export class RequestDeadlineError extends NotifierError {
  override name = "RequestDeadlineError";
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`${operation} stopped: no time left before the invocation's deadline`, options);
  }
}

/**
 * The role a member account was to be read with could not be assumed: the member template is not deployed there,
 * or its trust does not name this deployment's roles. Only this scope's polls fail; the others go on.
 */
export class MemberRoleError extends NotifierError {
  override name = "MemberRoleError";
  readonly roleArn: string;
  constructor(roleArn: string, reason: string, options?: { cause?: unknown }) {
    super(
      `Cannot assume ${roleArn}: ${reason}. Deploy templates/member-account.yml in that account (docs/deploy.md, ` +
        `"An organization") with this stack's MemberTrustedRoleArns output.`,
      options,
    );
    this.roleArn = roleArn;
  }
}

/**
 * Another invocation is delivering this event to this channel right now (a duplicate SNS delivery, or a re-send
 * arriving while the first copy is still being posted). Nothing was posted: the invocation fails so that Lambda
 * retries it, by when the first copy is either recorded (and the retry is dropped) or has failed (and the retry posts).
 */
export class DeliveryInProgressError extends NotifierError {
  override name = "DeliveryInProgressError";
  constructor(channel: string, eventId: string, options?: { cause?: unknown }) {
    super(
      `Event ${eventId} is being delivered to ${channel} by another invocation; nothing was posted, Lambda retries it`,
      options,
    );
  }
}

/**
 * The delivery table could not be read or written before posting, so nothing was posted: posting without a record
 * could post twice. Lambda retries the invocation; the DLQ and its alarm take over if the table stays unreachable.
 */
export class DeliveryLedgerError extends NotifierError {
  override name = "DeliveryLedgerError";
  constructor(channel: string, eventId: string, options?: { cause?: unknown }) {
    super(`Cannot check whether event ${eventId} was already delivered to ${channel}; nothing was posted`, options);
  }
}
