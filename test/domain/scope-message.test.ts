import { describe, expect, it } from "vitest";
import { parseScopeMessage, type ScopeMessage, scopeMessageBody } from "../../src/domain/scope-message";
import { T0 } from "../support/factories";

const message: ScopeMessage = { scope: { accountId: "123456789012", region: "eu-west-1" }, dispatchedAt: T0 };

describe("scopeMessageBody", () => {
  it("writes the scope id and the round's ISO time", () => {
    // Act
    const body = scopeMessageBody(message);

    // Assess
    expect(JSON.parse(body)).toEqual({ scope: "123456789012/eu-west-1", dispatchedAt: "2025-03-01T12:00:00.000Z" });
  });
});

describe("parseScopeMessage", () => {
  it("reads back the message it wrote", () => {
    // Act
    const parsed = parseScopeMessage(scopeMessageBody(message));

    // Assess
    expect(parsed).toEqual({ ok: true, message });
  });

  it("ignores members it does not know", () => {
    // Act
    const parsed = parseScopeMessage(
      JSON.stringify({ scope: "123456789012/eu-west-1", dispatchedAt: T0.toISOString(), extra: 1 }),
    );

    // Assess
    expect(parsed).toEqual({ ok: true, message });
  });

  it.each([
    ["an empty body", "", "body is not JSON"],
    ["text that is not JSON", "poll 123456789012/eu-west-1", "body is not JSON"],
    ["truncated JSON", '{"scope":"123456789012/eu-west-1"', "body is not JSON"],
    ["JSON null", "null", "scope is not <12-digit account>/<region>"],
    ["a JSON string", '"123456789012/eu-west-1"', "scope is not <12-digit account>/<region>"],
    ["a JSON array", "[]", "scope is not <12-digit account>/<region>"],
    ["no scope", JSON.stringify({ dispatchedAt: T0.toISOString() }), "scope is not <12-digit account>/<region>"],
    [
      "a scope that is not a string",
      JSON.stringify({ scope: { accountId: "123456789012", region: "eu-west-1" }, dispatchedAt: T0.toISOString() }),
      "scope is not <12-digit account>/<region>",
    ],
    [
      "a malformed scope",
      JSON.stringify({ scope: "12345/eu-west-1", dispatchedAt: T0.toISOString() }),
      "scope is not <12-digit account>/<region>",
    ],
    ["no dispatchedAt", JSON.stringify({ scope: "123456789012/eu-west-1" }), "dispatchedAt is not an ISO timestamp"],
    [
      "a numeric dispatchedAt",
      JSON.stringify({ scope: "123456789012/eu-west-1", dispatchedAt: T0.getTime() }),
      "dispatchedAt is not an ISO timestamp",
    ],
    [
      "an unreadable dispatchedAt",
      JSON.stringify({ scope: "123456789012/eu-west-1", dispatchedAt: "yesterday" }),
      "dispatchedAt is not an ISO timestamp",
    ],
  ])("rejects %s with a reason", (_, body, reason) => {
    // Act
    const parsed = parseScopeMessage(body);

    // Assess
    expect(parsed).toEqual({ ok: false, reason });
  });
});
