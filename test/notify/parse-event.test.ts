import { describe, expect, it } from "vitest";
import { MalformedEventError } from "../../src/errors";
import { parseJobStatusEvent } from "../../src/notify/parse-event";
import { CASES } from "../../tools/samples/events";

const problemsOf = (body: string): readonly string[] => {
  try {
    parseJobStatusEvent(body);
  } catch (error) {
    if (error instanceof MalformedEventError) return error.problems;
    throw error;
  }
  return [];
};

describe("parseJobStatusEvent", () => {
  it("accepts every event the poller builds, including an unknown future status", () => {
    for (const event of Object.values(CASES)) {
      expect(parseJobStatusEvent(JSON.stringify(event))).toEqual(event);
    }
  });

  it("accepts members a later 1.x version adds", () => {
    // Prepare
    const event = { ...CASES.completed, schemaVersion: "1.3", addedLater: { anything: true } };

    // Act
    const parsed = parseJobStatusEvent(JSON.stringify(event));

    // Assess
    expect(parsed.schemaVersion).toBe("1.3");
  });

  it("names every problem by field, never by value", () => {
    // Prepare
    const body = JSON.stringify({
      ...CASES.completed,
      schemaVersion: "2.0",
      severity: "loud",
      job: { ...CASES.completed?.job, status: "", records: { total: -1, processed: null, success: null, error: 1.5 } },
    });

    // Act
    const problems = problemsOf(body);

    // Assess
    expect(problems).toEqual([
      "schemaVersion must be a 1.x version",
      "severity must be one of error, warning, info",
      "job.status must be a non-empty string",
      "job.records.total must be a whole number ≥ 0 or null",
      "job.records.error must be a whole number ≥ 0 or null",
    ]);
  });

  it("does not quote a body that is not JSON", () => {
    expect(problemsOf("{ secret reason")).toEqual(["the body is not JSON"]);
    expect(problemsOf("[1, 2]")).toEqual(["the body is not a JSON object"]);
  });
});
