/** Configuration that cannot work; raised at cold start, naming every bad variable at once. */
export class ConfigurationError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigurationError";
    this.problems = problems;
  }
}

/** Bedrock refused the call: the function's role lacks a permission. Never an empty, silent poll. */
export class BedrockAccessDeniedError extends Error {
  constructor(operation: string, options?: { cause?: unknown }) {
    super(
      `Bedrock denied ${operation}. Grant the function's role bedrock:ListModelInvocationJobs and ` +
        `bedrock:GetModelInvocationJob on Resource "*" (these actions do not support resource-level permissions).`,
      options,
    );
    this.name = "BedrockAccessDeniedError";
  }
}

/** The snapshot table or the topic named in the configuration does not exist (or is in another region). */
export class ResourceMissingError extends Error {
  constructor(kind: "table" | "topic", name: string, options?: { cause?: unknown }) {
    super(
      `The ${kind} "${name}" does not exist or is not visible in this region. ` +
        `Check ${kind === "table" ? "SNAPSHOT_TABLE" : "TOPIC_ARN"} and the deployment.`,
      options,
    );
    this.name = "ResourceMissingError";
  }
}

/** Bedrock returned a listing that could not be paged through even after starting over. */
export class ListingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ListingError";
  }
}
