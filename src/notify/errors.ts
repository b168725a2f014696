/**
 * An SNS message that is not a v1 job status event. Its reason names fields and expectations only, never the
 * values: the body may hold a job's failure message, which must not reach the logs.
 */
export class MalformedEventError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`Not a v1 job status event: ${problems.join("; ")}`, options);
    this.name = "MalformedEventError";
    this.problems = problems;
  }
}

/**
 * At least one event of the invocation could not be delivered to the channel. Thrown so Lambda retries the
 * invocation and, once retries are spent, sends it to the on-failure destination (the DLQ): nothing is lost silently.
 */
export class ChannelDeliveryError extends Error {
  readonly channel: string;
  readonly failed: number;
  constructor(channel: string, failed: number, total: number, options?: { cause?: unknown }) {
    super(`${failed} of ${total} event(s) could not be delivered to ${channel}`, options);
    this.name = "ChannelDeliveryError";
    this.channel = channel;
    this.failed = failed;
  }
}
