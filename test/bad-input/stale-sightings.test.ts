import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadPollHandler, type PollHandler } from "../../tools/local-stack/handlers";
import { type BadInputStack, forJob, pollWith, startBadInputStack } from "../support/bad-input-stack";
import { captureOutput, skips } from "../support/output";

describe("stale sightings, through the real poll handler", () => {
  let bad: BadInputStack;
  let handler: PollHandler;
  const poll = () => captureOutput(() => pollWith(handler));

  beforeAll(async () => {
    bad = await startBadInputStack();
    handler = await loadPollHandler();
    await pollWith(handler); // the first run: a baseline of nothing
  });

  beforeEach(async () => {
    bad.rewriteSummaries(undefined);
    await bad.events();
  });

  afterAll(async () => {
    await bad?.stop();
  });

  it("never announces a move back to an earlier status shown without lastModifiedTime, and keeps the real previousStatus", async () => {
    // Prepare: the job is announced InProgress; then a lagging listing shows it Scheduled, without the optional
    // lastModifiedTime, so no timestamp can tell the sighting is old.
    const arn = bad.addJob("backwards", { status: "Scheduled" });
    await poll();
    bad.setState(arn, { status: "InProgress" });
    await poll();
    await bad.events();
    bad.rewriteSummaries(
      forJob(arn, ({ lastModifiedTime: _dropped, ...summary }) => ({ ...summary, status: "Scheduled" })),
    );

    // Act
    const stale = await poll();
    bad.rewriteSummaries(undefined);
    bad.setState(arn, { status: "Completed" });
    await poll();

    // Assess
    expect(stale.error).toBeUndefined();
    expect(skips(stale.text)).toContainEqual(
      expect.objectContaining({ kind: "sighting-skipped", jobArn: arn, reason: "backwards" }),
    );
    const events = await bad.events();
    expect(events.map((event) => [event.previousStatus, event.job.status])).toEqual([["InProgress", "Completed"]]);
  });
});
