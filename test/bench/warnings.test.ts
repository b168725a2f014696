import { describe, expect, it } from "vitest";
import { runWarningsBench } from "../../bench/warnings";

describe("npm run bench:warnings, smoke-sized", () => {
  it("keeps the quiet poll at the floor with warnings on, and pays one write per warning sent", async () => {
    // Act: 40 open jobs, 4 of them queued for 30 hours.
    const result = await runWarningsBench(40, 4);

    // Assess: counts, never times.
    expect(result.warned).toEqual({ bedrockCalls: 6, queries: 1, getItems: 1, writes: 4 + 2, published: 4 });
    expect(result.quietWithWarnings).toEqual({ bedrockCalls: 6, queries: 1, getItems: 1, writes: 0, published: 0 });
    expect(result.quietWithWarnings).toEqual(result.quietWithoutWarnings);
  });
});
