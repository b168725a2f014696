import { describe, expect, it, vi } from "vitest";
import { runCampaign } from "../../../tools/chaos/campaign";
import { formatFigures } from "../../../tools/chaos/figures";
import type { BedrockEventsHandler, Handlers, PollHandler } from "../../../tools/chaos/handler";

/** Small enough for `npm test` on a 2-core machine (about 30 s); `npm run chaos` runs the big campaign. */
const BOUNDED = { minJobs: 5, maxJobs: 15, minRounds: 4, maxRounds: 6 };
const SEED = Number(process.env.CHAOS_SEED ?? 20_240_828);
const SCENARIOS = 3;

// Each scenario's stack listens on new ports, and the handler reads its environment at import: a fresh module.
const loadHandler = async (): Promise<Handlers> => {
  vi.resetModules();
  const poll = (await import("../../../handlers/poll")) as unknown as { handler: PollHandler };
  const onBedrockEvents = (await import("../../../handlers/on-bedrock-events")) as unknown as {
    handler: BedrockEventsHandler;
  };
  return { poll: poll.handler, onBedrockEvents: onBedrockEvents.handler };
};

describe("the fault campaign, bounded", () => {
  it("loses nothing and sends nothing twice outside a crash window, under every kind of fault", async () => {
    // Prepare
    const options = { seed: SEED, scenarios: SCENARIOS, bounds: BOUNDED, loadHandler };

    // Act
    const result = await runCampaign(options);

    // Assess
    const { figures } = result;
    const context = `seed ${SEED}\n${formatFigures(figures)}\n${result.violations.join("\n")}`;
    expect(result.violations, context).toEqual([]);
    expect(figures.lost, context).toBe(0);
    expect(figures.duplicatesOutsideCrash, context).toBe(0);
    expect(figures.delivered, context).toBeGreaterThan(0);
    expect(figures.bedrockThrottled + figures.bedrockServerErrors, context).toBeGreaterThan(0);
    expect(figures.overlaps * figures.timeouts, context).toBeGreaterThan(0);
  }, 180_000);
});
