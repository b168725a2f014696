import { isDigest, type JobEvent, type NotifierEvent } from "../notifier-event";
import { renderDigestTeams } from "./digest/teams";
import { escapeTeamsMarkdown, plainWord, singleLine, withoutControlCharacters } from "./escape";
import { type EventFacts, factsOf, type RenderOptions } from "./facts";
import { type FittedMessage, fitFailureMessage, utf8Bytes } from "./fit";
import { TEAMS_MAX_PAYLOAD_BYTES } from "./limits";

export { TEAMS_MAX_PAYLOAD_BYTES } from "./limits";

type TextBlock = {
  type: "TextBlock";
  text: string;
  wrap: true;
  size?: "Small" | "Medium" | "Large";
  weight?: "Bolder";
  color?: "Attention" | "Warning" | "Good" | "Accent";
  fontType?: "Monospace";
  isSubtle?: true;
  spacing?: "None" | "Medium";
};
type FactSet = { type: "FactSet"; facts: Array<{ title: string; value: string }> };
type CardElement = TextBlock | FactSet;

export interface AdaptiveCard {
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  type: "AdaptiveCard";
  version: "1.4";
  msteams: { width: "Full" };
  body: CardElement[];
  actions: Array<{ type: "Action.OpenUrl"; title: string; url: string }>;
}

/** The envelope a Teams Workflows "post to a channel when a webhook request is received" flow expects. */
export interface TeamsMessage {
  type: "message";
  attachments: Array<{
    contentType: "application/vnd.microsoft.card.adaptive";
    contentUrl: null;
    content: AdaptiveCard;
  }>;
}

const COLOUR = { ERROR: "Attention", WARNING: "Warning", INFO: "Accent" } as const;

const text = (value: string, options: Omit<TextBlock, "type" | "text" | "wrap"> = {}): TextBlock => ({
  type: "TextBlock",
  text: value,
  wrap: true,
  ...options,
});

function factSetOf(facts: EventFacts): FactSet {
  const warning = facts.warning;
  const rows: Array<[string, string]> = [
    ["Job", singleLine(facts.jobName)],
    ["Model", singleLine(facts.modelId)],
    ["Status", singleLine(facts.transition)],
    ["Severity", facts.severityLabel.toLowerCase()],
  ];
  if (warning !== null) rows.push(["Warning", `${warning.kind}, ${warning.measure}`]);
  if (facts.progress !== null) rows.push(["Progress", facts.progress]);
  rows.push(["Submitted", facts.submitted]);
  if (warning === null) rows.push(["Ended", facts.ended]);
  else rows.push(["Expires", facts.expires ?? "—"]);
  rows.push(["Duration", facts.duration]);
  if (facts.throughput !== null) rows.push(["Throughput", facts.throughput]);
  rows.push(["Records", facts.records]);
  if (facts.errorRate !== null) rows.push(["Error rate", facts.errorRate]);
  if (facts.outputS3Uri !== null) rows.push(["Output", singleLine(facts.outputS3Uri)]);
  return { type: "FactSet", facts: rows.map(([title, value]) => ({ title, value: escapeTeamsMarkdown(value) })) };
}

function cardOf(event: JobEvent, facts: EventFacts, failure: FittedMessage): AdaptiveCard {
  const colour =
    facts.severityLabel === "INFO" && event.job.status === "Completed" ? "Good" : COLOUR[facts.severityLabel];
  const heading =
    facts.warning === null
      ? `${facts.symbol} Bedrock batch job ${plainWord(facts.status)}`
      : `${facts.symbol} ${facts.warning.title}`;
  const body: CardElement[] = [
    text(heading, { size: "Large", weight: "Bolder", color: colour }),
    text(escapeTeamsMarkdown(singleLine(facts.jobName)), { size: "Medium", weight: "Bolder" }),
  ];
  // Right under the job's name, which of the watched scopes it runs in: "prod (123456789012) · us-east-1".
  if (facts.scope !== null) body.push(text(escapeTeamsMarkdown(facts.scope), { isSubtle: true, spacing: "None" }));
  // A warning's own sentence, before the facts: it is what the card is about.
  if (facts.warning !== null) body.push(text(escapeTeamsMarkdown(singleLine(facts.warning.summary))));
  body.push(factSetOf(facts));
  if (failure.text !== null) {
    const note = failure.truncated || facts.failureMessageTruncated ? " (shortened; full text in the console)" : "";
    body.push(text(`Failure reason${note}`, { weight: "Bolder", spacing: "Medium" }));
    body.push(text(escapeTeamsMarkdown(withoutControlCharacters(failure.text)), { fontType: "Monospace" }));
  }
  if (facts.nextSteps.length > 0) {
    body.push(text("What to do next", { weight: "Bolder", spacing: "Medium" }));
    body.push(text(facts.nextSteps.map((step) => `- ${escapeTeamsMarkdown(step)}`).join("\n")));
  }
  body.push(text(`Event ${facts.eventId} · detected ${facts.detectedAt}`, { size: "Small", isSubtle: true }));

  const actions: AdaptiveCard["actions"] = [];
  if (facts.links.batchJobs !== null)
    actions.push({ type: "Action.OpenUrl", title: "Batch inference jobs", url: facts.links.batchJobs });
  if (facts.links.output !== null)
    actions.push({ type: "Action.OpenUrl", title: "Output in S3", url: facts.links.output });

  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    msteams: { width: "Full" },
    body,
    actions,
  };
}

export function renderTeamsMessage(event: NotifierEvent, options: RenderOptions = {}): TeamsMessage {
  if (isDigest(event)) return renderDigestTeams(event, options);
  const facts = factsOf(event, options);
  return fitFailureMessage(
    facts.failureMessage,
    (failure): TeamsMessage => ({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: cardOf(event, facts, failure),
        },
      ],
    }),
    (message) => utf8Bytes(JSON.stringify(message)) <= TEAMS_MAX_PAYLOAD_BYTES,
  );
}

export function renderTeams(event: NotifierEvent, options: RenderOptions = {}): string {
  return JSON.stringify(renderTeamsMessage(event, options));
}
