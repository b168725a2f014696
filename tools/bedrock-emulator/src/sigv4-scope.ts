import type { IncomingHttpHeaders } from "node:http";

/** What a SigV4 signature says about its caller: the access key and the credential scope it was made for. */
export interface CredentialScope {
  accessKeyId: string;
  /** yyyymmdd, as signed. */
  date: string;
  region: string;
  service: string;
}

// "AWS4-HMAC-SHA256 Credential=AKID/20261124/us-west-2/bedrock/aws4_request, SignedHeaders=..., Signature=...".
// Access keys are [\w] in practice; allow anything but the separators so an odd test key still parses.
const CREDENTIAL = /(?:^|[\s,])Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request(?:[\s,]|$)/;
const REGION = /^[a-z0-9-]{1,20}$/;

function parseCredential(value: string): CredentialScope | undefined {
  const match = CREDENTIAL.exec(value);
  if (!match) return undefined;
  const [, accessKeyId = "", date = "", region = "", service = ""] = match;
  // A region that could not appear in an ARN cannot name a scope: treat the request as unscoped.
  if (!REGION.test(region)) return undefined;
  return { accessKeyId, date, region, service };
}

/**
 * Reads the credential scope of a SigV4 request: from the Authorization header, or from X-Amz-Credential for a
 * presigned URL. The signature itself is never checked: the emulator only needs to know who claims to call
 * and for which region. Undefined when the request is unsigned or the scope is unreadable.
 */
export function credentialScopeOf(headers: IncomingHttpHeaders, query: URLSearchParams): CredentialScope | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === "string" && authorization.startsWith("AWS4-HMAC-SHA256 "))
    return parseCredential(authorization.slice("AWS4-HMAC-SHA256".length));
  const presigned = query.get("X-Amz-Credential");
  return presigned === null ? undefined : parseCredential(` Credential=${presigned} `);
}

/** The x-amz-security-token a session key must come with (header, or query for a presigned URL). */
export function securityTokenOf(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const header = headers["x-amz-security-token"];
  if (typeof header === "string") return header;
  return query.get("X-Amz-Security-Token") ?? undefined;
}
