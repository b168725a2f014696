import { deriveSeed, mulberry32, type Random } from "./random";

/** Credentials the emulator hands out, in the shape SDK v3 credential providers return. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Who a request's access key belongs to. */
export interface Caller {
  accountId: string;
  /** The principal IAM would name in an AccessDenied message. */
  principalArn: string;
  /** Set for keys from AssumeRole: they must come with their session token and stop working at expiry. */
  session?: { sessionToken: string; expiresMs: number };
}

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomString(random: Random, alphabet: string, length: number): string {
  let text = "";
  for (let index = 0; index < length; index++) text += alphabet.charAt(Math.floor(random() * alphabet.length));
  return text;
}

/**
 * Maps access key ids to accounts. Keys issued by the emulated STS (ASIA…, with a session token and an
 * expiry) and keys registered with credentialsFor (AKIA…, long-term) are known; any other key belongs to the
 * default account, so the project's fixed `local` credentials keep working as before. Keys are drawn from a
 * seeded PRNG: the same seed and the same calls hand out the same keys.
 */
export class CredentialRegistry {
  private readonly known = new Map<string, Caller>();
  private readonly longTerm = new Map<string, EmulatorCredentials>();
  private readonly random: Random;

  constructor(
    seed: number,
    private readonly defaultAccountId: string,
  ) {
    this.random = mulberry32(deriveSeed(seed, "credentials"));
  }

  /** The account and principal behind an access key; undefined (or unknown) keys are the default account's. */
  callerOf(accessKeyId: string | undefined): Caller {
    const known = accessKeyId === undefined ? undefined : this.known.get(accessKeyId);
    return known ?? { accountId: this.defaultAccountId, principalArn: this.userArn(this.defaultAccountId) };
  }

  /** Long-term keys of an IAM user in the account; the same account always gets the same keys. */
  longTermFor(accountId: string): EmulatorCredentials {
    const existing = this.longTerm.get(accountId);
    if (existing) return { ...existing };
    const credentials = { accessKeyId: this.newKeyId("AKIA"), secretAccessKey: this.newSecret() };
    this.known.set(credentials.accessKeyId, { accountId, principalArn: this.userArn(accountId) });
    this.longTerm.set(accountId, credentials);
    return { ...credentials };
  }

  /** Temporary keys for an assumed role, valid until expiresMs on the emulator clock. */
  issueSession(accountId: string, principalArn: string, expiresMs: number): Required<EmulatorCredentials> {
    const accessKeyId = this.newKeyId("ASIA");
    const secretAccessKey = this.newSecret();
    // Real session tokens are long opaque base64; the length matters to nobody, the shape to log scrapers.
    const sessionToken = `IQoJb3JpZ2luX2VjE${randomString(this.random, SECRET_ALPHABET, 300)}`;
    this.known.set(accessKeyId, { accountId, principalArn, session: { sessionToken, expiresMs } });
    return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiresMs) };
  }

  private userArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:user/emulator`;
  }

  private newKeyId(prefix: string): string {
    let keyId = `${prefix}${randomString(this.random, KEY_ALPHABET, 16)}`;
    while (this.known.has(keyId)) keyId = `${prefix}${randomString(this.random, KEY_ALPHABET, 16)}`;
    return keyId;
  }

  private newSecret(): string {
    return randomString(this.random, SECRET_ALPHABET, 40);
  }
}

/**
 * Why a session key cannot be used now, if it cannot: past its expiry on the emulator clock, or sent without
 * its own session token (as AWS refuses a temporary key with a missing or foreign token). Keys without a
 * session never fail here.
 */
export function sessionProblem(
  caller: Caller,
  presentedToken: string | undefined,
  nowMs: number,
): "expired" | "invalid" | undefined {
  const session = caller.session;
  if (!session) return undefined;
  if (presentedToken !== session.sessionToken) return "invalid";
  return nowMs >= session.expiresMs ? "expired" : undefined;
}
