import type { DailyDigestEvent } from "../../digest";
import { escapeTeamsMarkdown, singleLine } from "../escape";
import type { RenderOptions } from "../facts";
import { utf8Bytes } from "../fit";
import { TEAMS_MAX_PAYLOAD_BYTES } from "../limits";
import type { AdaptiveCard, TeamsMessage } from "../teams";
import {
  andMore,
  type DigestFacts,
  digestFactsOf,
  fitDigest,
  hasShown,
  type Listed,
  notListedLine,
  QUIET_DAY,
  unlistedLine,
} from "./facts";

type CardElement = AdaptiveCard["body"][number];
type TextOptions = Omit<Extract<CardElement, { type: "TextBlock" }>, "type" | "text" | "wrap">;

const COLOUR = { ERROR: "Attention", WARNING: "Warning", INFO: "Good" } as const;

const text = (value: string, options: TextOptions = {}): CardElement => ({
  type: "TextBlock",
  text: value,
  wrap: true,
  ...options,
});

/** Job text on one line, with the markdown subset Teams reads escaped. */
const job = (value: string): string => escapeTeamsMarkdown(singleLine(value));

/** A bold label and a markdown list ("- item"), ending "…and N more" when cut; nothing when none is shown. */
function list<T>(label: string, listed: Listed<T>, item: (value: T) => string, noun?: string): CardElement[] {
  if (!hasShown(listed)) return [];
  const lines = [
    ...listed.shown.map((value) => `- ${item(value)}`),
    ...(listed.more > 0 ? [`- ${andMore(listed.more, noun)}`] : []),
  ];
  return [text(label, { weight: "Bolder", spacing: "Medium" }), text(lines.join("\n"), { spacing: "None" })];
}

function scopeElements(scope: DigestFacts["scopes"][number]): CardElement[] {
  const elements: CardElement[] = [
    text(job(scope.heading), { size: "Medium", weight: "Bolder", spacing: "Medium" }),
    text(`[Batch jobs in the console](${scope.consoleLink})`, { isSubtle: true, spacing: "None" }),
  ];
  if (scope.unavailable !== null) {
    elements.push(
      text(`⚠️ Unavailable: ${job(scope.unavailable)}; its jobs are not counted in this digest.`, {
        color: "Attention",
      }),
    );
    return elements;
  }
  const facts: Array<[string, string]> = [
    ["Finished", scope.finished],
    ["Records", scope.records],
  ];
  if (scope.warnings !== null) facts.push(["Warnings sent", scope.warnings]);
  elements.push({
    type: "FactSet",
    facts: facts.map(([title, value]) => ({ title, value: escapeTeamsMarkdown(value) })),
  });
  elements.push(
    ...list(
      "Top failure reasons",
      scope.reasons,
      (r) => `${r.count} × ${job(r.reason)} (e.g. ${job(r.exampleJobName)})`,
      "failure",
    ),
    ...list("Expired", scope.expired, (expired) => `${job(expired.jobName)} (submitted ${expired.submitted})`),
    ...list(
      "Open, oldest first",
      scope.open,
      (open) => `${job(open.jobName)}: ${job(open.status)}, ${open.age} old, ${open.progress}`,
    ),
    ...list("Models", scope.models, (model) => `${job(model.modelId)}: ${escapeTeamsMarkdown(model.summary)}`),
  );
  const unlisted = unlistedLine(scope);
  if (unlisted !== null) elements.push(text(unlisted, { isSubtle: true }));
  return elements;
}

function cardOf(facts: DigestFacts): AdaptiveCard {
  const body: CardElement[] = [
    text(`${facts.symbol} ${facts.title}`, { size: "Large", weight: "Bolder", color: COLOUR[facts.severityLabel] }),
    text(`${facts.period} · ${facts.watched}`, { isSubtle: true, spacing: "None" }),
    text(escapeTeamsMarkdown(`Totals: ${facts.totals}`)),
    ...facts.scopes.flatMap(scopeElements),
  ];
  if (facts.notListed > 0) body.push(text(notListedLine(facts.notListed), { isSubtle: true, spacing: "Medium" }));
  else if (facts.scopes.length === 0) body.push(text(QUIET_DAY));
  body.push(text(`Event ${facts.eventId} · sent ${facts.detectedAt}`, { size: "Small", isSubtle: true }));
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    msteams: { width: "Full" },
    body,
    actions: [],
  };
}

/**
 * The digest as a Workflows Adaptive Card: per scope a heading, a FactSet and markdown lists. Cut (lists first, then
 * scopes, each cut said) to stay under 20,000 bytes of JSON.
 */
export function renderDigestTeams(event: DailyDigestEvent, options: RenderOptions = {}): TeamsMessage {
  return fitDigest(
    digestFactsOf(event, options),
    (facts): TeamsMessage => ({
      type: "message",
      attachments: [
        { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: cardOf(facts) },
      ],
    }),
    (message) => utf8Bytes(JSON.stringify(message)) <= TEAMS_MAX_PAYLOAD_BYTES,
  );
}
