import { describe, expect, it } from "vitest";
import type { JobStatusEvent } from "../../src/domain/event";
import { runDemo } from "../../tools/demo/run";

describe("the embedded demo (npm start)", () => {
  it("delivers every scripted ending once across 2 accounts × 2 regions, the failure reasons, and the paginated burst", async () => {
    const lines: string[] = [];

    const result = await runDemo({ msPerMinute: 0, print: (line) => lines.push(line) });

    // The last transition of each job (early warnings, if any fired on the accelerated clock, are not its ending).
    const finalOf = (name: string): JobStatusEvent | undefined =>
      result.delivered.filter((event) => event.job.jobName === name).at(-1);
    expect(finalOf("classify-reviews")?.job).toMatchObject({
      status: "Failed",
      message: expect.stringContaining("modelInput"),
    });
    expect(finalOf("extract-entities")?.job).toMatchObject({
      status: "Failed",
      message: expect.stringContaining("Throttling"),
    });
    expect(finalOf("qa-regression")?.job.status).toBe("Failed");
    expect(finalOf("backfill-q3")?.job.status).toBe("Expired");
    expect(finalOf("embed-catalog")?.job).toMatchObject({ status: "PartiallyCompleted", records: { error: 120 } });
    expect(finalOf("translate-docs")).toMatchObject({ previousStatus: "Stopping", job: { status: "Stopped" } });
    expect(finalOf("nightly-eval")).toMatchObject({ previousStatus: "InProgress", job: { status: "Completed" } });
    for (const name of ["summarize-tickets", "rerank-search", "moderate-ugc", "caption-images", "legal-review"]) {
      expect(finalOf(name)?.job.status, name).toBe("Completed");
    }
    const burst = result.delivered.filter((event) => event.job.jobName.startsWith("backfill-shard-"));
    expect(burst).toHaveLength(1_050);
    expect(new Set(result.delivered.map((event) => event.eventId)).size).toBe(result.delivered.length);
    // The baseline (archive jobs and the running nightly-eval) is recorded, not announced.
    expect(result.delivered.some((event) => event.job.jobName.startsWith("archive-"))).toBe(false);
    // Each line names its scope (the account by its alias); the member account is read with one AssumeRole per
    // function that reads it (the scope workers, then the digest: each its own sandbox).
    expect(
      lines.some(
        (line) => line.includes("research/us-east-1") && line.includes("classify-reviews") && line.includes("→ Failed"),
      ),
    ).toBe(true);
    expect(finalOf("translate-docs")?.job).toMatchObject({ accountId: "210987654321", region: "eu-west-1" });
    expect(new Set(result.delivered.map((event) => `${event.job.accountId}/${event.job.region}`)).size).toBe(4);
    expect(result.assumeRoleCalls).toBe(2);
    // Warnings before anything failed, each once; and the day's digest.
    expect(result.warnings.map((event) => `${event.job.jobName} ${event.warning.kind}`).sort()).toEqual([
      "hung-transform NoProgress",
      "slow-translation HighErrorRate",
      "slow-translation MayNotFinish",
      "waiting-for-capacity ExpiryApproaching",
    ]);
    expect(result.digest).toMatchObject({ type: "DailyDigest", totals: { scopes: 4, warnings: 4 } });
    expect(lines.some((line) => line.includes("Daily digest"))).toBe(true);
    expect(lines.at(-2)).toContain(
      `${result.delivered.length} notifications and ${result.warnings.length} early warnings in ${result.rounds} rounds of 4 scopes`,
    );
  });
});
