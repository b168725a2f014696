import { addFigures, type CampaignFigures, emptyFigures } from "./figures";
import type { HandlerLoader } from "./handler";
import { runScenario, type ScenarioOutcome } from "./run-scenario";
import { type ScenarioBounds, sampleScenarios } from "./scenario";

export interface CampaignOptions {
  seed: number;
  scenarios: number;
  bounds: ScenarioBounds;
  loadHandler: HandlerLoader;
  /** Runs only this scenario of the campaign (to reproduce one failure); the others are still drawn, not run. */
  only?: number;
  onScenario?: (index: number, outcome: ScenarioOutcome, seconds: number) => void;
}

export interface CampaignResult {
  figures: CampaignFigures;
  /** Every invariant violation, prefixed with its scenario. */
  violations: string[];
  /** Scenarios that broke an invariant. */
  failedScenarios: number[];
  seconds: number;
}

/**
 * Draws the campaign's scenarios from its seed (fast-check), runs them one after the other, each against its own
 * local stack, and sums what they did and found. Scenarios run sequentially: their polls race each other and
 * the fault injectors on purpose, and a second scenario would only add noise to the timing.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const startedAt = performance.now();
  const scenarios = sampleScenarios(options.seed, options.scenarios, options.bounds);
  let figures = emptyFigures();
  const violations: string[] = [];
  const failedScenarios: number[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    if (options.only !== undefined && index !== options.only) continue;
    const scenarioStart = performance.now();
    const outcome = await runScenario(scenario, `s${index}`, options.loadHandler);
    figures = addFigures(figures, outcome.figures);
    violations.push(...outcome.violations);
    if (outcome.violations.length > 0) failedScenarios.push(index);
    options.onScenario?.(index, outcome, (performance.now() - scenarioStart) / 1000);
  }
  return { figures, violations, failedScenarios, seconds: (performance.now() - startedAt) / 1000 };
}
