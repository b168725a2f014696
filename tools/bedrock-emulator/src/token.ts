import { createHash } from "node:crypto";
import { BedrockError } from "./errors";
import type { JobStatus } from "./model";
import type { SortOrder } from "./validation";

/** The filters a page depends on; a token is only valid with the very same ones (page size may change). */
export interface PageFilter {
  submitTimeAfterMs: number | undefined;
  submitTimeBeforeMs: number | undefined;
  statusEquals: JobStatus | undefined;
  nameContains: string | undefined;
  sortOrder: SortOrder;
}

/** Where the previous page stopped: the last job returned, by its sort key (submit time, then job id). */
export interface PageCursor {
  submitMs: number;
  jobId: string;
}

interface TokenPayload {
  v: 1;
  f: string;
  s: number;
  i: string;
}

/**
 * Opaque nextToken codec. A token is base64url JSON of {filter fingerprint, cursor}. The fingerprint also
 * covers an emulator-specific salt, so a token from another emulator (another seed or account) is refused
 * like any foreign token. The cursor is a sort key, not an offset, so pages stay stable while jobs are added.
 */
export class PageTokenCodec {
  constructor(private readonly salt: string) {}

  encode(filter: PageFilter, cursor: PageCursor): string {
    const payload: TokenPayload = { v: 1, f: this.fingerprint(filter), s: cursor.submitMs, i: cursor.jobId };
    return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  }

  /** Throws the ValidationException the service sends for a token it did not issue for these filters. */
  decode(token: string, filter: PageFilter): PageCursor {
    const payload = this.parse(token);
    if (!payload || payload.f !== this.fingerprint(filter)) {
      throw new BedrockError(
        "ValidationException",
        "The provided nextToken is not valid. Use the nextToken from the previous response, with the same filters.",
      );
    }
    return { submitMs: payload.s, jobId: payload.i };
  }

  private parse(token: string): TokenPayload | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
    try {
      const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
      if (typeof value !== "object" || value === null) return undefined;
      const candidate = value as Partial<TokenPayload>;
      const wellFormed =
        candidate.v === 1 &&
        typeof candidate.f === "string" &&
        typeof candidate.s === "number" &&
        Number.isFinite(candidate.s) &&
        typeof candidate.i === "string" &&
        /^[a-z0-9]{12}$/.test(candidate.i);
      return wellFormed ? (candidate as TokenPayload) : undefined;
    } catch {
      return undefined;
    }
  }

  private fingerprint(filter: PageFilter): string {
    const canonical = JSON.stringify([
      this.salt,
      filter.submitTimeAfterMs ?? null,
      filter.submitTimeBeforeMs ?? null,
      filter.statusEquals ?? null,
      filter.nameContains ?? null,
      filter.sortOrder,
    ]);
    return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
  }
}
