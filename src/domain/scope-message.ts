import { parseScopeId, type Scope, scopeId } from "./scope";

/** What the dispatcher tells a poll worker: poll this scope, for the round that started at `dispatchedAt`. */
export interface ScopeMessage {
  scope: Scope;
  dispatchedAt: Date;
}

export function scopeMessageBody(message: ScopeMessage): string {
  return JSON.stringify({ scope: scopeId(message.scope), dispatchedAt: message.dispatchedAt.toISOString() });
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export type ScopeMessageParse = { ok: true; message: ScopeMessage } | { ok: false; reason: string };

export function parseScopeMessage(body: string): ScopeMessageParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  const { scope, dispatchedAt } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const parsedScope = typeof scope === "string" ? parseScopeId(scope) : undefined;
  if (!parsedScope) return { ok: false, reason: "scope is not <12-digit account>/<region>" };
  if (typeof dispatchedAt !== "string" || !ISO_TIMESTAMP.test(dispatchedAt) || Number.isNaN(Date.parse(dispatchedAt)))
    return { ok: false, reason: "dispatchedAt is not an ISO timestamp" };
  return { ok: true, message: { scope: parsedScope, dispatchedAt: new Date(dispatchedAt) } };
}
