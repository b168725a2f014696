import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";

/** The parameter (or the Secrets Manager secret behind `/aws/reference/secretsmanager/...`) could not be read. */
export class SecretUnavailableError extends Error {
  readonly parameterName: string;
  constructor(parameterName: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot read secret parameter "${parameterName}": ${reason}`, options);
    this.name = "SecretUnavailableError";
    this.parameterName = parameterName;
  }
}

export interface SsmSecretOptions {
  /**
   * How long a value is reused. Short, so a rotated webhook URL is picked up within minutes without a
   * redeploy, yet a burst of notifications costs one GetParameter call.
   */
  ttlMs?: number;
  now?: () => number;
}

interface CacheEntry {
  value: Promise<string>;
  expiresAt: number;
}

/**
 * Reads SecureString parameters with decryption, cached per parameter. The same GetParameter call reads a
 * Secrets Manager secret through the `/aws/reference/secretsmanager/<secret-name>` path, so one client serves both.
 */
export class SsmSecret {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: SSMClient,
    options: SsmSecretOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  get(parameterName: string): Promise<string> {
    const cached = this.cache.get(parameterName);
    if (cached && cached.expiresAt > this.now()) return cached.value;

    // Cache the promise, not the value: concurrent callers share one request.
    const value = this.fetch(parameterName);
    this.cache.set(parameterName, { value, expiresAt: this.now() + this.ttlMs });
    // A failure is not cached: the next call (the retry) asks again.
    value.catch(() => {
      if (this.cache.get(parameterName)?.value === value) this.cache.delete(parameterName);
    });
    return value;
  }

  private async fetch(parameterName: string): Promise<string> {
    let value: string | undefined;
    try {
      const output = await this.client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
      value = output.Parameter?.Value;
    } catch (error) {
      const name = error instanceof Error ? error.name : "UnknownError";
      const reason =
        name === "ParameterNotFound"
          ? "it does not exist (create it with `aws ssm put-parameter --type SecureString`)"
          : name === "AccessDeniedException"
            ? "access denied (the function's role needs ssm:GetParameter on it, and kms:Decrypt on its key)"
            : name;
      throw new SecretUnavailableError(parameterName, reason, { cause: error });
    }
    if (value === undefined || value.trim() === "") {
      throw new SecretUnavailableError(parameterName, "it is empty");
    }
    return value.trim();
  }
}
