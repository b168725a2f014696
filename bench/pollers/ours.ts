import type { PollReport } from "../../src/poll/run-poll";
import { loadPollHandler } from "../../tools/local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../../tools/local-stack/lambda-events";
import type { Poller } from "../poller";

/**
 * The real poll handler (middy, Powertools logger and metrics, default SDK clients), invoked as Lambda would.
 * The environment must point at the peers before this is called: the handler reads it at import.
 */
export async function createOurPoller(): Promise<Poller> {
  const handler = await loadPollHandler();
  const invoke = (): Promise<PollReport> => handler(scheduledEvent(), lambdaContext());
  return {
    setup: async () => {
      const report = await invoke();
      if (report.outcome !== "baseline") throw new Error(`first poll was "${report.outcome}", expected a baseline`);
    },
    poll: async () => {
      const report = await invoke();
      if (report.outcome === "lease-busy") throw new Error("poll found the lease busy: nothing else should be polling");
      return report.published;
    },
  };
}
