import { describe, expect, it } from "vitest";
import type { BatchJob } from "../../src/domain/job";
import { laterSighting, mergeSightings } from "../../src/domain/merge";
import { KNOWN_STATUSES } from "../../src/domain/status";
import { aJob, at, jobArnOf, minutes } from "../support/factories";

describe("mergeSightings", () => {
  it("keeps one entry per job and the sighting with the later lastModifiedTime", () => {
    // Prepare
    const older = aJob("a", { status: "InProgress", lastModifiedTime: at(-minutes(5)) });
    const newer = aJob("a", { status: "Completed", lastModifiedTime: at(-minutes(1)) });

    // Act
    const merged = mergeSightings([newer, older, aJob("b")]);

    // Assess
    expect(merged.size).toBe(2);
    expect(merged.get(jobArnOf("a"))).toBe(newer);
  });

  it("prefers the later sighting even when its status looks less advanced", () => {
    // Prepare: lastModifiedTime is the authority; status order only breaks ties.
    const earlier = aJob("a", { status: "Completed", lastModifiedTime: at(-minutes(5)) });
    const later = aJob("a", { status: "Stopping", lastModifiedTime: at(-minutes(1)) });

    // Act
    const merged = mergeSightings([earlier, later]);

    // Assess
    expect(merged.get(jobArnOf("a"))).toBe(later);
  });

  it("on a lastModifiedTime tie keeps the more advanced status", () => {
    // Prepare
    const scheduled = aJob("a", { status: "Scheduled", lastModifiedTime: at(0) });
    const inProgress = aJob("a", { status: "InProgress", lastModifiedTime: at(0) });

    // Act / Assess
    expect(mergeSightings([scheduled, inProgress]).get(jobArnOf("a"))).toBe(inProgress);
    expect(mergeSightings([inProgress, scheduled]).get(jobArnOf("a"))).toBe(inProgress);
  });

  it.each(["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"])(
    "on a tie a terminal status (%s) beats every open one",
    (terminal) => {
      for (const open of ["Submitted", "Validating", "Scheduled", "InProgress", "Stopping", "Archived"]) {
        // Prepare
        const a = aJob("a", { status: open, lastModifiedTime: at(0) });
        const b = aJob("a", { status: terminal, lastModifiedTime: at(0) });

        // Act / Assess
        expect(laterSighting(a, b).status).toBe(terminal);
        expect(laterSighting(b, a).status).toBe(terminal);
      }
    },
  );

  it("treats a missing lastModifiedTime as older than any known one", () => {
    // Prepare
    const unknownTime = aJob("a", { status: "Completed", lastModifiedTime: undefined });
    const known = aJob("a", { status: "InProgress", lastModifiedTime: at(-minutes(1)) });

    // Act / Assess
    expect(laterSighting(unknownTime, known)).toBe(known);
    expect(laterSighting(known, unknownTime)).toBe(known);
  });

  it("gives the same result whatever order the sightings arrive in", () => {
    // Prepare: every known status, some sharing a lastModifiedTime, for one job.
    const sightings: BatchJob[] = KNOWN_STATUSES.map((status, index) =>
      aJob("a", { status, lastModifiedTime: at(Math.floor(index / 3) * 1000) }),
    );
    const expected = mergeSightings(sightings).get(jobArnOf("a"));

    // Act / Assess: every rotation and the reverse pick the same status.
    for (let shift = 0; shift < sightings.length; shift++) {
      const rotated = [...sightings.slice(shift), ...sightings.slice(0, shift)];
      expect(mergeSightings(rotated).get(jobArnOf("a"))?.status).toBe(expected?.status);
      expect(mergeSightings([...rotated].reverse()).get(jobArnOf("a"))?.status).toBe(expected?.status);
    }
    expect(expected?.lastModifiedTime).toEqual(at(3000));
  });

  it("returns an empty map for no sightings", () => {
    expect(mergeSightings([]).size).toBe(0);
  });
});
