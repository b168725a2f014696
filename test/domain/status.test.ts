import { describe, expect, it } from "vitest";
import { isKnownStatus, isTerminal, KNOWN_STATUSES, OPEN_STATUSES, severityOf } from "../../src/domain/status";

const TERMINAL = ["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"];
const OPEN = ["Submitted", "Validating", "Scheduled", "InProgress", "Stopping"];

describe("statuses", () => {
  it("lists the ten statuses of the Bedrock service model", () => {
    expect([...KNOWN_STATUSES].sort()).toEqual([...TERMINAL, ...OPEN].sort());
    expect(KNOWN_STATUSES).toHaveLength(10);
  });

  it("splits the known statuses into five open and five terminal ones, with no overlap", () => {
    expect([...OPEN_STATUSES].sort()).toEqual([...OPEN].sort());
    for (const status of TERMINAL) expect(isTerminal(status)).toBe(true);
    for (const status of OPEN) expect(isTerminal(status)).toBe(false);
  });

  it.each([
    ["Submitted", "info"],
    ["Validating", "info"],
    ["Scheduled", "info"],
    ["InProgress", "info"],
    ["Stopping", "info"],
    ["Completed", "info"],
    ["PartiallyCompleted", "warning"],
    ["Stopped", "warning"],
    ["Failed", "error"],
    ["Expired", "error"],
  ])("gives %s the severity %s", (status, severity) => {
    expect(severityOf(status)).toBe(severity);
  });

  it("treats an unknown (future) status as open, unknown and info", () => {
    expect(isTerminal("Archived")).toBe(false);
    expect(isKnownStatus("Archived")).toBe(false);
    expect(severityOf("Archived")).toBe("info");
  });

  it("is case-sensitive: a differently cased status is not the known one", () => {
    expect(isKnownStatus("completed")).toBe(false);
    expect(isTerminal("completed")).toBe(false);
  });

  it("recognises every known status", () => {
    for (const status of KNOWN_STATUSES) expect(isKnownStatus(status)).toBe(true);
  });
});
