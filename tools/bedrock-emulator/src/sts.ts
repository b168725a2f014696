import { createHash, randomUUID } from "node:crypto";
import { type Caller, type CredentialRegistry, sessionProblem } from "./credentials";
import type { StatsRecorder } from "./stats";

/** Which AssumeRole calls the emulated STS refuses with AccessDenied; everything well-formed is allowed otherwise. */
export interface StsOptions {
  /** Role ARNs that cannot be assumed. */
  deniedRoles?: string[];
  /** Accounts none of whose roles can be assumed (as when the member account lacks the trust policy). */
  deniedAccounts?: string[];
}

/** An answer in the awsQuery protocol: an XML body and its HTTP status. */
export interface QueryResponse {
  status: number;
  body: string;
}

const NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
const API_VERSION = "2011-06-15";
// Role names may sit under a path (role/team/Name); the assumed-role ARN names only the last segment.
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::([0-9]{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const MIN_DURATION_S = 900;
const MAX_DURATION_S = 43_200;
const DEFAULT_DURATION_S = 3_600;
const ACCOUNT_ID = /^[0-9]{12}$/;

type StsErrorCode = "ValidationError" | "AccessDenied" | "InvalidAction" | "ExpiredToken" | "InvalidClientTokenId";

const STATUS: Record<StsErrorCode, number> = {
  ValidationError: 400,
  InvalidAction: 400,
  AccessDenied: 403,
  ExpiredToken: 403,
  InvalidClientTokenId: 403,
};

class StsError extends Error {
  constructor(
    readonly code: StsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** STS writes whole seconds: 2026-11-24T19:00:00Z. */
function stsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function errorXml(error: StsError, requestId: string): QueryResponse {
  return {
    status: STATUS[error.code],
    body:
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${error.code}</Code>` +
      `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function smithyViolation(value: string | null, field: string, constraint: string): StsError {
  const shown = value === null ? "null" : `'${value}'`;
  return new StsError(
    "ValidationError",
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A stable AROA… id per role, as IAM gives every role one unique id. */
function roleIdOf(roleArn: string): string {
  const digest = createHash("sha256").update(roleArn).digest();
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let id = "AROA";
  for (let index = 0; index < 17; index++) id += alphabet.charAt((digest[index] ?? 0) % alphabet.length);
  return id;
}

/**
 * The emulated STS: AssumeRole only, in the awsQuery protocol (form-encoded POST /, XML answers) that
 * @aws-sdk/client-sts and fromTemporaryCredentials speak. It hands out session keys that the Bedrock routes
 * map to the role's account, valid for DurationSeconds on the emulator clock. No trust policy is evaluated:
 * any well-formed role can be assumed unless denied by options or at run time.
 */
export class StsService {
  private readonly deniedRoles: Set<string>;
  private readonly deniedAccounts: Set<string>;

  constructor(
    private readonly credentials: CredentialRegistry,
    private readonly stats: StatsRecorder,
    options: StsOptions = {},
  ) {
    for (const target of [...(options.deniedRoles ?? []), ...(options.deniedAccounts ?? [])]) checkTarget(target);
    this.deniedRoles = new Set(options.deniedRoles);
    this.deniedAccounts = new Set(options.deniedAccounts);
  }

  /** Makes AssumeRole answer AccessDenied for a role ARN, or for every role of a 12-digit account id. */
  deny(roleArnOrAccountId: string): void {
    (checkTarget(roleArnOrAccountId) === "account" ? this.deniedAccounts : this.deniedRoles).add(roleArnOrAccountId);
  }

  /** Undoes deny for exactly that role ARN or account id. */
  allow(roleArnOrAccountId: string): void {
    (checkTarget(roleArnOrAccountId) === "account" ? this.deniedAccounts : this.deniedRoles).delete(roleArnOrAccountId);
  }

  /** A request that could not even be read (a body over the size limit, for one). */
  malformed(message: string): QueryResponse {
    return errorXml(new StsError("ValidationError", message), randomUUID());
  }

  handle(body: string, caller: Caller, presentedToken: string | undefined, nowMs: number): QueryResponse {
    const requestId = randomUUID();
    try {
      const params = new URLSearchParams(body);
      const action = params.get("Action");
      if (action !== "AssumeRole" || (params.get("Version") ?? API_VERSION) !== API_VERSION)
        throw new StsError("InvalidAction", `Could not find operation ${action ?? ""} for version ${API_VERSION}`);
      const problem = sessionProblem(caller, presentedToken, nowMs);
      if (problem === "expired")
        throw new StsError("ExpiredToken", "The security token included in the request is expired");
      if (problem === "invalid")
        throw new StsError("InvalidClientTokenId", "The security token included in the request is invalid.");
      return { status: 200, body: this.assumeRole(params, caller, nowMs, requestId) };
    } catch (error) {
      if (error instanceof StsError) return errorXml(error, requestId);
      throw error;
    }
  }

  private assumeRole(params: URLSearchParams, caller: Caller, nowMs: number, requestId: string): string {
    const roleArn = params.get("RoleArn");
    const roleMatch = roleArn === null ? null : ROLE_ARN.exec(roleArn);
    this.stats.recordAssumeRole(roleMatch?.[2]);
    if (roleArn === null) throw smithyViolation(null, "roleArn", "Member must not be null");
    if (roleArn.length < 20)
      throw smithyViolation(roleArn, "roleArn", "Member must have length greater than or equal to 20");
    if (!roleMatch) throw new StsError("ValidationError", "Request ARN is invalid");
    const [, partition = "aws", accountId = "", , roleName = ""] = roleMatch;

    const sessionName = params.get("RoleSessionName");
    if (sessionName === null) throw smithyViolation(null, "roleSessionName", "Member must not be null");
    if (sessionName.length < 2 || sessionName.length > 64)
      throw smithyViolation(
        sessionName,
        "roleSessionName",
        `Member must have length ${sessionName.length < 2 ? "greater than or equal to 2" : "less than or equal to 64"}`,
      );
    if (!SESSION_NAME.test(sessionName))
      throw smithyViolation(
        sessionName,
        "roleSessionName",
        "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );

    const rawDuration = params.get("DurationSeconds");
    if (rawDuration !== null && !/^[0-9]{1,9}$/.test(rawDuration))
      throw new StsError("ValidationError", `Value '${rawDuration}' for parameter DurationSeconds is invalid.`);
    const duration = rawDuration === null ? DEFAULT_DURATION_S : Number(rawDuration);
    if (duration < MIN_DURATION_S || duration > MAX_DURATION_S)
      throw smithyViolation(
        String(duration),
        "durationSeconds",
        duration < MIN_DURATION_S
          ? `Member must have value greater than or equal to ${MIN_DURATION_S}`
          : `Member must have value less than or equal to ${MAX_DURATION_S}`,
      );

    if (this.deniedRoles.has(roleArn) || this.deniedAccounts.has(accountId)) {
      this.stats.recordAssumeRoleDenied();
      throw new StsError(
        "AccessDenied",
        `User: ${caller.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }

    // Whole seconds, so the expiry the SDK parses is exactly the one the Bedrock routes enforce.
    const expiresMs = Math.floor((nowMs + duration * 1000) / 1000) * 1000;
    const assumedArn = `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
    const issued = this.credentials.issueSession(accountId, assumedArn, expiresMs);
    return (
      `<AssumeRoleResponse xmlns="${NAMESPACE}"><AssumeRoleResult><Credentials>` +
      `<AccessKeyId>${issued.accessKeyId}</AccessKeyId>` +
      `<SecretAccessKey>${xmlEscape(issued.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xmlEscape(issued.sessionToken)}</SessionToken>` +
      `<Expiration>${stsTimestamp(expiresMs)}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>${roleIdOf(roleArn)}:${xmlEscape(sessionName)}</AssumedRoleId>` +
      `<Arn>${xmlEscape(assumedArn)}</Arn></AssumedRoleUser></AssumeRoleResult>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`
    );
  }
}

function checkTarget(roleArnOrAccountId: string): "account" | "role" {
  if (ACCOUNT_ID.test(roleArnOrAccountId)) return "account";
  if (ROLE_ARN.test(roleArnOrAccountId)) return "role";
  throw new RangeError(`Expected a role ARN or a 12-digit account id, got ${JSON.stringify(roleArnOrAccountId)}`);
}
