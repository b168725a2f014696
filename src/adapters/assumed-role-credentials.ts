import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { MemberRoleError } from "../errors";

export interface AssumedRoleOptions {
  partition: string;
  /** The role's name in every member account. */
  roleName: string;
  /** Shows in the member account's CloudTrail as who read its jobs. */
  sessionName: string;
  clock: () => Date;
}

/**
 * Credentials a client needs at least this long before they expire. The SDK itself treats credentials that expire
 * within 5 minutes as expired (and would ask again on every request), so the cache must refresh no later.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
/**
 * A Lambda function's credentials are themselves an assumed role, so this is role chaining: AWS caps the session at
 * one hour whatever the member role's MaxSessionDuration says.
 */
const SESSION_SECONDS = 3600;

/**
 * Member-account credentials from STS AssumeRole, cached per account for the life of the warm sandbox and shared by
 * every region's client: one AssumeRole per account per session (55 minutes of use each), however many scopes and
 * polls use it. Concurrent first requests for an account share one call. A refusal is not cached: the next poll of
 * that scope asks again, and every other account is unaffected.
 */
export class AssumedRoleCredentials {
  readonly #cache = new Map<string, Promise<AwsCredentialIdentity>>();
  #calls = 0;

  constructor(
    private readonly sts: STSClient,
    private readonly options: AssumedRoleOptions,
  ) {}

  /** AssumeRole calls made so far. */
  get calls(): number {
    return this.#calls;
  }

  roleArnFor(accountId: string): string {
    return `arn:${this.options.partition}:iam::${accountId}:role/${this.options.roleName}`;
  }

  /** What a client of this account takes as its `credentials`. */
  providerFor(accountId: string): AwsCredentialIdentityProvider {
    return () => this.credentialsFor(accountId);
  }

  async credentialsFor(accountId: string): Promise<AwsCredentialIdentity> {
    const cached = this.#cache.get(accountId);
    if (cached) {
      // A refusal reaches every request that waited on it (one STS call for all); it is not cached (see below).
      const credentials = await cached;
      if (!this.#expiresSoon(credentials)) return credentials;
      // A stale entry is replaced, unless a concurrent request has replaced it already.
      if (this.#cache.get(accountId) !== cached) return this.credentialsFor(accountId);
    }
    const assuming = this.#assume(accountId);
    this.#cache.set(accountId, assuming);
    assuming.catch(() => {
      if (this.#cache.get(accountId) === assuming) this.#cache.delete(accountId);
    });
    return assuming;
  }

  #expiresSoon(credentials: AwsCredentialIdentity): boolean {
    if (!credentials.expiration) return false;
    return credentials.expiration.getTime() - this.options.clock().getTime() < REFRESH_BEFORE_EXPIRY_MS;
  }

  async #assume(accountId: string): Promise<AwsCredentialIdentity> {
    const roleArn = this.roleArnFor(accountId);
    this.#calls++;
    let output: AssumeRoleCommandOutput;
    try {
      output = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName,
          DurationSeconds: SESSION_SECONDS,
        }),
      );
    } catch (error) {
      const name = (error as { name?: string })?.name ?? "an error";
      throw new MemberRoleError(roleArn, `STS answered ${name}`, { cause: error });
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = output.Credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey || !(Expiration instanceof Date)) {
      throw new MemberRoleError(roleArn, "STS answered without credentials");
    }
    return {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      ...(SessionToken ? { sessionToken: SessionToken } : {}),
      expiration: Expiration,
    };
  }
}
