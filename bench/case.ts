import { WARNINGS_OFF } from "../tools/local-stack/warnings-off";
import { baselineClients } from "./baselines/common";
import { NaivePoller } from "./baselines/naive-poller";
import { WindowPoller } from "./baselines/window-poller";
import { runAsCaseProcess } from "./child-main";
import { watchMemory } from "./memory";
import { median } from "./numbers";
import type { Peers } from "./peers-client";
import { startPeers } from "./peers-client";
import type { Poller } from "./poller";
import { createOurPoller } from "./pollers/ours";
import type { CaseResult, CaseSpec, PollerKind, PollMeasurement } from "./types";

/**
 * One benchmark case, in a process of its own: `node --import tsx --expose-gc bench/case.ts '<CaseSpec json>'
 * <result file>`. The peers run in a child process, so this process holds the poller alone.
 */

/** The default schedule: the emulator's clock moves this much between polls. */
const POLL_INTERVAL_MS = 5 * 60_000;

/** What serverless.yml gives the deployed function, minus what the peers' environment provides. */
const FUNCTION_ENV = {
  ...WARNINGS_OFF,
  LOOKBACK_MINUTES: "60",
  FIRST_RUN: "baseline",
  POWERTOOLS_SERVICE_NAME: "bedrock-job-notifier",
  POWERTOOLS_METRICS_NAMESPACE: "BedrockJobNotifier",
  POWERTOOLS_LOG_LEVEL: "INFO",
};

async function createPoller(kind: PollerKind): Promise<Poller> {
  if (kind === "ours") return createOurPoller();
  return kind === "window" ? new WindowPoller(baselineClients()) : new NaivePoller(baselineClients());
}

async function measure(poller: Poller, peers: Peers): Promise<PollMeasurement> {
  await peers.call("reset", null);
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  const published = await poller.poll();
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = Math.round((performance.now() - startedAt) * 10) / 10;
  const cpuMs = Math.round((cpu.user + cpu.system) / 100) / 10;
  return { counters: await peers.call("counters", null), wallMs, cpuMs, published };
}

export async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const peers = await startPeers();
  try {
    const { env, seedMs } = await peers.call("init", { finished: spec.finished, open: spec.open, seed: spec.seed });
    Object.assign(process.env, env, FUNCTION_ENV);
    const poller = await createPoller(spec.poller);

    const setupStart = performance.now();
    await poller.setup();
    const setupMs = Math.round(performance.now() - setupStart);

    for (let index = 0; index < spec.warmUpPolls; index++) {
      await peers.call("advance", { ms: POLL_INTERVAL_MS });
      await poller.poll();
    }

    let quiet: CaseResult["quiet"];
    const quietWalls: number[] = [];
    const quietCpu: number[] = [];
    for (let index = 0; index < spec.quietPolls; index++) {
      await peers.call("advance", { ms: POLL_INTERVAL_MS });
      const poll = await measure(poller, peers);
      quietWalls.push(poll.wallMs);
      quietCpu.push(poll.cpuMs);
      quiet = {
        ...poll,
        wallMs: median(quietWalls),
        cpuMs: median(quietCpu),
        wallMsAll: [...quietWalls],
        cpuMsAll: [...quietCpu],
      };
    }

    await peers.call("advance", { ms: POLL_INTERVAL_MS });
    const { changed, finished } = await peers.call("change", { percent: spec.changedPercent, seed: spec.seed });
    const watch = watchMemory();
    const measured = await measure(poller, peers);
    const memory = watch.stop();

    return {
      spec,
      changed,
      finishedByChange: finished,
      ...(poller.known ? { known: poller.known() } : {}),
      seedMs: Math.round(seedMs),
      setupMs,
      ...(quiet ? { quiet } : {}),
      measured: { ...measured, memory },
    };
  } finally {
    await peers.stop();
  }
}

if (require.main === module) {
  runAsCaseProcess("node --import tsx --expose-gc bench/case.ts '<CaseSpec json>' <result file>", (spec) =>
    runCase(JSON.parse(spec) as CaseSpec),
  );
}
