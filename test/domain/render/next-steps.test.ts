import { describe, expect, it } from "vitest";
import { buildEvent } from "../../../src/domain/event";
import { nextStepsFor } from "../../../src/domain/render/next-steps";
import { aJob, T0 } from "../../support/factories";

const stepsFor = (status: string, timeoutDurationInHours?: number) =>
  nextStepsFor(buildEvent({ job: aJob("a", { status, timeoutDurationInHours }), previousStatus: "InProgress" }, T0));

describe("nextStepsFor", () => {
  it("explains PartiallyCompleted as the API means it: the timeout came before every record was processed", () => {
    const steps = stepsFor("PartiallyCompleted", 24).join(" ");
    expect(steps).toContain("reached its timeout before all records could be processed");
    expect(steps).not.toContain("Some records failed");
  });

  it("suggests a longer timeout for an expired job only when its timeout was below the 168-hour maximum", () => {
    expect(stepsFor("Expired", 24).join(" ")).toContain("with a longer timeout (up to 168 hours)");
    const atMaximum = stepsFor("Expired", 168).join(" ");
    expect(atMaximum).not.toContain("longer timeout");
    expect(atMaximum).toContain("already the maximum (168 hours)");
  });
});
