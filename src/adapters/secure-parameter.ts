import { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import type { SSMGetOptions } from "@aws-lambda-powertools/parameters/ssm/types";
import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { NotifierError, SecretUnavailableError } from "../errors";
import type { SecretSource } from "../notify/ports";

export interface SecureParameterOptions {
  /**
   * How long a value is reused. Short, so a rotated webhook URL is picked up within minutes without a redeploy, yet
   * a burst of notifications costs one GetParameter call. Powertools' own default (5 s) would read it on nearly
   * every invocation.
   */
  maxAgeSeconds?: number;
}

/** Read through Powertools' cache; only `_get`, the one read, is ours, so that it can see the parameter's type. */
class SecureStringProvider extends SSMProvider {
  protected override async _get(name: string, options?: SSMGetOptions): Promise<string | undefined> {
    const output = await (this.client as SSMClient).send(
      new GetParameterCommand({ ...(options?.sdkOptions ?? {}), Name: name, WithDecryption: true }),
    );
    // A secret kept as a plain String is readable by anyone with ssm:GetParameter and shows in the console.
    // (Secrets Manager references come back as SecureString.)
    if (output.Parameter && output.Parameter.Type !== "SecureString") {
      throw new NotSecureString(output.Parameter.Type ?? "untyped");
    }
    return output.Parameter?.Value;
  }
}

class NotSecureString extends NotifierError {
  override name = "NotSecureString";
  constructor(readonly type: string) {
    super(`parameter type is ${type}`);
  }
}

/**
 * Reads SecureString parameters with decryption, cached by Powertools Parameters. The same GetParameter call reads
 * a Secrets Manager secret through the `/aws/reference/secretsmanager/<secret-name>` path, so one client serves
 * both. Concurrent first reads of one name share a single request.
 */
export class SecureParameters implements SecretSource {
  readonly #provider: SecureStringProvider;
  readonly #maxAgeSeconds: number;
  readonly #inFlight = new Map<string, Promise<string>>();

  constructor(client: SSMClient, options: SecureParameterOptions = {}) {
    this.#provider = new SecureStringProvider({ awsSdkV3Client: client });
    this.#maxAgeSeconds = options.maxAgeSeconds ?? 300;
  }

  get(parameterName: string): Promise<string> {
    const pending = this.#inFlight.get(parameterName);
    if (pending) return pending;
    const value = this.#read(parameterName).finally(() => this.#inFlight.delete(parameterName));
    this.#inFlight.set(parameterName, value);
    return value;
  }

  async #read(parameterName: string): Promise<string> {
    let value: string | undefined;
    try {
      value = await this.#provider.get(parameterName, { maxAge: this.#maxAgeSeconds });
    } catch (error) {
      // Powertools wraps what the SDK threw; its cause says why.
      const cause = (error as { cause?: unknown }).cause ?? error;
      throw new SecretUnavailableError(parameterName, reasonOf(cause), { cause });
    }
    if (value === undefined || value.trim() === "") throw new SecretUnavailableError(parameterName, "it is empty");
    return value.trim();
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof NotSecureString) {
    return `it is a ${error.type} parameter; store webhook URLs as SecureString (or in Secrets Manager)`;
  }
  const name = error instanceof Error ? error.name : "UnknownError";
  if (name === "ParameterNotFound")
    return "it does not exist (create it with `aws ssm put-parameter --type SecureString`)";
  if (name === "AccessDeniedException") {
    return "access denied (the function's role needs ssm:GetParameter on it, and kms:Decrypt on its key)";
  }
  return name;
}
