import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The package-time check of a routes file (serverless/routes.js, required by serverless/params.js): each bad file is
// refused with a message naming the route and the field.
const { loadRoutes } = createRequire(import.meta.url)("../../serverless/routes.js") as {
  loadRoutes: (file: string) => {
    problems: string[];
    warnings: string[];
    plan: {
      email: unknown[];
      emailInCode: unknown[];
      slack: unknown[];
      teams: unknown[];
      eventbridge: unknown[];
      chat: unknown[];
      summary: string[];
    } | null;
  };
};
const dir = mkdtempSync(join(tmpdir(), "bjn-routes-"));
let count = 0;
function routesFile(text: string): string {
  const file = join(dir, `routes-${count++}.yml`);
  writeFileSync(file, text);
  return file;
}

describe("a routes file at package time", () => {
  it("accepts the committed example, and says which routes SNS filters and which are filtered in code", () => {
    const { problems, warnings, plan } = loadRoutes(join(__dirname, "../../notifier.routes.example.yml"));
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(plan?.summary).toEqual([
      'route "prod-failures" (slack): filtered in code by the slack function',
      'route "staging" (slack): filtered in code by the slack function',
      'route "lead-mail" (email): filtered by SNS (subscription filter policy)',
      'route "nightly-mail" (email): filtered by SNS (subscription filter policy)',
      'route "prod-mail" (email): filtered in code by the email function, published to its own topic EmailRouteProdMailTopic (SNS cannot apply its filter: jobNames pattern "*-prod" is a glob; SNS matches exact names and prefixes (name*) only)',
      'route "ml-platform" (teams): filtered in code by the teams function',
      'route "pipelines" (eventbridge): filtered in code by the eventbridge function',
      'route "audit" (eventbridge): filtered in code by the eventbridge function',
      'route "ops-chat" (chat): filtered in code by the chat function, published to its own topic (output ChatRouteOpsChatTopicArn)',
    ]);
  });

  it.each([
    [
      "an unknown field",
      "routes:\n  - name: a\n    type: slack\n    webhookParameter: /p\n    channel: '#ops'\n",
      'route "a": unknown field "channel"',
    ],
    [
      "an unknown filter field",
      "routes:\n  - name: a\n    type: slack\n    webhookParameter: /p\n    filter: { status: [Failed] }\n",
      'route "a", field filter: unknown field "status"',
    ],
    [
      "an unknown status",
      "routes:\n  - name: a\n    type: slack\n    webhookParameter: /p\n    filter: { statuses: [Faild] }\n",
      'route "a", field filter.statuses.0: unknown value "Faild"',
    ],
    ["an unknown type", "routes:\n  - name: a\n    type: pager\n", 'route "a", field type: unknown value "pager"'],
    [
      "an unknown warning kind",
      "routes:\n  - name: a\n    type: teams\n    webhookParameter: /p\n    filter: { warningKinds: [Stuck] }\n",
      'route "a", field filter.warningKinds.0: unknown value "Stuck"',
    ],
    ["an empty route list", "routes: []\n", "the route list is empty"],
    [
      "duplicate names",
      "routes:\n  - { name: ops, type: slack, webhookParameter: /p }\n  - { name: ops, type: teams, webhookParameter: /q }\n",
      'route names "ops" and "ops" are the same name',
    ],
    ["a missing target", "routes:\n  - name: a\n    type: email\n", 'route "a": missing field "address"'],
    [
      "a target of another type",
      "routes:\n  - { name: a, type: email, address: a@example.com, webhookParameter: /p }\n",
      'route "a", field webhookParameter: does not belong to a route of this type',
    ],
  ])("refuses %s, naming the route and the field", (_case, text, message) => {
    const { problems, plan } = loadRoutes(routesFile(text));
    expect(plan).toBeNull();
    expect(problems.join("\n")).toContain(message);
  });

  it("warns, without refusing, about a filter that can match nothing", () => {
    const { problems, warnings } = loadRoutes(
      routesFile(
        "routes:\n  - { name: quiet, type: slack, webhookParameter: /p, filter: { statuses: [Completed], severities: [error] } }\n",
      ),
    );
    expect(problems).toEqual([]);
    expect(warnings).toEqual(['route "quiet": its filter can match no event; nothing will reach it']);
  });

  it("gives eventbridge routes their bus and filter, and no people default", () => {
    const { plan } = loadRoutes(
      routesFile(
        "routes:\n  - { name: a, type: eventbridge, bus: jobs, filter: { statuses: [Failed] } }\n  - { name: b, type: eventbridge, bus: other }\n",
      ),
    );
    expect(plan?.eventbridge).toEqual([
      { name: "a", target: "jobs", filter: { statuses: ["Failed"] } },
      { name: "b", target: "other", filter: {} },
    ]);
  });

  it("gives each chat route a topic of its own, and the people default without a filter", () => {
    const { plan } = loadRoutes(
      routesFile(
        "routes:\n  - { name: ops, type: chat, filter: { statuses: [Failed] } }\n  - { name: ml-team, type: chat }\n",
      ),
    );
    expect(plan?.chat).toEqual([
      { name: "ops", id: "ChatRouteOpsTopic", filter: { statuses: ["Failed"] } },
      {
        name: "ml-team",
        id: "ChatRouteMlTeamTopic",
        filter: {
          eventTypes: ["transition", "warning", "digest"],
          statuses: ["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"],
        },
      },
    ]);
  });

  it("filters in code, on a topic of its own, an email route SNS cannot filter", () => {
    const { problems, plan } = loadRoutes(
      routesFile(
        "routes:\n  - { name: a, type: email, address: a@example.com, filter: { jobNames: ['*-prod'] } }\n  - { name: b, type: email, address: b@example.com }\n",
      ),
    );
    expect(problems).toEqual([]);
    expect(plan?.emailInCode).toEqual([
      { name: "a", id: "EmailRouteATopic", address: "a@example.com", filter: { jobNames: ["*-prod"] } },
    ]);
    expect(plan?.email).toEqual([expect.objectContaining({ name: "b" })]);
  });

  it("gives people routes without a filter the people default", () => {
    const { plan } = loadRoutes(routesFile("routes:\n  - { name: ops, type: slack, webhookParameter: /p }\n"));
    expect(plan?.slack).toEqual([
      {
        name: "ops",
        target: "/p",
        filter: {
          eventTypes: ["transition", "warning", "digest"],
          statuses: ["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"],
        },
      },
    ]);
  });
});
