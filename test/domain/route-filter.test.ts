import { describe, expect, it } from "vitest";
import {
  canMatch,
  DEFAULT_PEOPLE_FILTER,
  matchesAttributes,
  type RouteFilter,
  selectedTypes,
  toSnsFilterPolicy,
} from "../../src/domain/route-filter";

const transition = (status: string, extra: Record<string, string> = {}) => ({
  eventType: "JobStatusChanged",
  status,
  severity: status === "Failed" || status === "Expired" ? "error" : "info",
  jobName: "nightly-2024",
  modelId: "anthropic.claude-3-haiku",
  accountId: "111111111111",
  region: "us-east-1",
  ...extra,
});
const warning = (warningKind: string, extra: Record<string, string> = {}) => ({
  eventType: "JobWarning",
  warningKind,
  severity: "warning",
  jobName: "nightly-2024",
  modelId: "anthropic.claude-3-haiku",
  accountId: "111111111111",
  region: "us-east-1",
  ...extra,
});
const digest = { eventType: "DailyDigest", severity: "info" };

describe("matchesAttributes", () => {
  it("lets every event through an empty filter", () => {
    expect(matchesAttributes({}, transition("InProgress"))).toBe(true);
    expect(matchesAttributes({}, warning("NoProgress"))).toBe(true);
    expect(matchesAttributes({}, digest)).toBe(true);
  });

  it("reads statuses alone as transitions only, warningKinds alone as warnings only", () => {
    const filter: RouteFilter = { statuses: ["Failed"] };
    expect(selectedTypes(filter)).toEqual(["transition"]);
    expect(matchesAttributes(filter, transition("Failed"))).toBe(true);
    expect(matchesAttributes(filter, transition("Completed"))).toBe(false);
    expect(matchesAttributes(filter, warning("NoProgress"))).toBe(false);
    expect(matchesAttributes(filter, digest)).toBe(false);
    expect(selectedTypes({ statuses: ["Failed"], warningKinds: ["NoProgress"] })).toEqual(["transition", "warning"]);
  });

  it("ignores a field for an event type it does not apply to, once eventTypes names that type", () => {
    // Prepare: the people default, terminal statuses plus every warning and the digest.
    const filter = DEFAULT_PEOPLE_FILTER;

    // Assess
    expect(matchesAttributes(filter, transition("Failed"))).toBe(true);
    expect(matchesAttributes(filter, transition("InProgress"))).toBe(false);
    expect(matchesAttributes(filter, warning("ExpiryApproaching"))).toBe(true);
    expect(matchesAttributes(filter, digest)).toBe(true);
  });

  it("keeps the digest through a job field (it has no job), but not through a severity it does not have", () => {
    expect(matchesAttributes({ accounts: ["111111111111"] }, digest)).toBe(true);
    expect(matchesAttributes({ severities: ["error"] }, digest)).toBe(false);
    expect(matchesAttributes({ severities: ["error", "info"] }, digest)).toBe(true);
  });

  it("ANDs fields and ORs values within a field", () => {
    const filter: RouteFilter = { accounts: ["111111111111", "222222222222"], regions: ["eu-west-1"] };
    expect(matchesAttributes(filter, transition("Failed", { accountId: "222222222222", region: "eu-west-1" }))).toBe(
      true,
    );
    expect(matchesAttributes(filter, transition("Failed", { accountId: "222222222222" }))).toBe(false);
  });

  it("does not match an event that lacks the attribute a field needs", () => {
    const { accountId: _dropped, ...withoutAccount } = transition("Failed");
    expect(matchesAttributes({ accounts: ["111111111111"] }, withoutAccount)).toBe(false);
  });

  it("matches job names exactly, by prefix, or by glob", () => {
    const named = (jobName: string) => transition("Failed", { jobName });
    expect(matchesAttributes({ jobNames: ["nightly-2024"] }, named("nightly-2024"))).toBe(true);
    expect(matchesAttributes({ jobNames: ["nightly-2024"] }, named("nightly-2024-b"))).toBe(false);
    expect(matchesAttributes({ jobNames: ["nightly-*"] }, named("nightly-2024"))).toBe(true);
    expect(matchesAttributes({ jobNames: ["nightly-*"] }, named("weekly-2024"))).toBe(false);
    expect(matchesAttributes({ jobNames: ["*-prod-?"] }, named("eval-prod-7"))).toBe(true);
    expect(matchesAttributes({ jobNames: ["*-prod-?"] }, named("eval-prod-17"))).toBe(false);
    expect(matchesAttributes({ jobNames: ["a.b"] }, named("axb"))).toBe(false);
  });

  it("never matches an unknown event type", () => {
    expect(matchesAttributes({}, { eventType: "Other" })).toBe(false);
  });
});

describe("toSnsFilterPolicy", () => {
  it("compiles the people default to the shape the email subscription has always had", () => {
    expect(toSnsFilterPolicy(DEFAULT_PEOPLE_FILTER)).toEqual({
      ok: true,
      policy: {
        $or: [
          {
            eventType: ["JobDiscovered", "JobStatusChanged"],
            status: ["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"],
          },
          { eventType: ["JobWarning", "DailyDigest"] },
        ],
      },
    });
  });

  it("compiles one event type to a policy without $or, and a trailing * to a prefix", () => {
    expect(toSnsFilterPolicy({ statuses: ["Failed"], jobNames: ["nightly-*", "adhoc"] })).toEqual({
      ok: true,
      policy: {
        eventType: ["JobDiscovered", "JobStatusChanged"],
        status: ["Failed"],
        jobName: [{ prefix: "nightly-" }, "adhoc"],
      },
    });
  });

  it("refuses a glob, naming the pattern", () => {
    const compiled = toSnsFilterPolicy({ jobNames: ["*-prod"] });
    expect(compiled).toEqual({ ok: false, reason: expect.stringContaining('"*-prod" is a glob') });
  });

  it("refuses more than five attributes", () => {
    const compiled = toSnsFilterPolicy({
      statuses: ["Failed"],
      accounts: ["111111111111"],
      regions: ["us-east-1"],
      modelIds: ["m"],
      jobNames: ["j"],
    });
    expect(compiled).toEqual({ ok: false, reason: expect.stringMatching(/needs 6 attributes.*SNS allows 5/) });
  });

  it("refuses more than 150 value combinations, and accepts exactly 150", () => {
    const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));
    // 2 eventType values x 5 statuses x 15 accounts = 150
    const at = { statuses: ["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"] };
    expect(toSnsFilterPolicy({ ...at, accounts: accounts(15) }).ok).toBe(true);
    expect(toSnsFilterPolicy({ ...at, accounts: accounts(16) })).toEqual({
      ok: false,
      reason: "it has 160 value combinations; SNS allows 150",
    });
  });

  it("sums the combinations of $or branches", () => {
    // transition: 2 x 3 x 10 = 60; warning: 1 x 10 = 10... merged with digest? No: the digest has no account.
    const filter: RouteFilter = {
      eventTypes: ["transition", "warning"],
      statuses: ["Failed", "Expired", "Stopped"],
      accounts: Array.from({ length: 10 }, (_, i) => String(100000000000 + i)),
    };
    const compiled = toSnsFilterPolicy(filter);
    expect(compiled.ok).toBe(true);
    expect(compiled.ok && (compiled.policy.$or as unknown[]).length).toBe(2);
  });
});

describe("canMatch", () => {
  it("finds filters that can match nothing", () => {
    expect(canMatch(DEFAULT_PEOPLE_FILTER)).toBe(true);
    expect(canMatch({ statuses: ["Completed"], severities: ["error"] })).toBe(false);
    expect(canMatch({ warningKinds: ["NoProgress"], severities: ["info"] })).toBe(false);
    expect(canMatch({ accounts: [] })).toBe(true); // the digest still passes: accounts do not apply to it
    expect(canMatch({ eventTypes: ["transition"], accounts: [] })).toBe(false);
    expect(canMatch({ eventTypes: [] })).toBe(false);
    expect(canMatch({ eventTypes: ["digest"], severities: ["error"] })).toBe(true);
  });
});
