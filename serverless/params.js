// Every deploy param, checked when the template is built: a typo fails `serverless package` (and deploy) with a
// message naming the param and what it accepts, instead of deploying a filter that never matches. Values derived
// from one another (the schedule, the alarm periods, the event age) are derived here, so they cannot disagree.
// Used from serverless.yml as `${file(./serverless/params.js):checked}`.

// The statuses of the API model (src/domain/status.ts KNOWN_STATUSES; a deploy test checks they agree).
const STATUSES =
  "Submitted,Validating,Scheduled,InProgress,Completed,PartiallyCompleted,Failed,Stopping,Stopped,Expired".split(",");
// The values CloudWatch Logs accepts for a retention.
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
// Params that no longer exist: naming them must not deploy something other than what was meant.
const REPLACED = {
  schedule: "intervalMinutes (the schedule is derived from it)",
  scheduleIntervalSeconds: "intervalMinutes (the alarm periods are derived from it)",
};

module.exports = async ({ resolveVariable }) => {
  const problems = [];
  const read = async (name) => {
    const value = await resolveVariable(`param:${name}, null`);
    return value === null || value === undefined ? undefined : String(value);
  };
  const whole = async (name, min, max, fallback) => {
    const raw = await read(name);
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`param ${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  for (const [name, replacement] of Object.entries(REPLACED)) {
    if ((await read(name)) !== undefined) problems.push(`param ${name} is no longer read: set ${replacement}`);
  }

  // Three periods of the no-successful-poll alarm must fit CloudWatch's one-day limit.
  const intervalMinutes = await whole("intervalMinutes", 1, 480, 5);
  const intervalSeconds = intervalMinutes * 60;
  const maxEventAgeSeconds = await whole("maxEventAgeSeconds", 60, intervalSeconds, intervalSeconds);
  const lookbackMinutes = await whole("lookbackMinutes", 1, 10080, 60);
  const deepReconcileHours = await whole("deepReconcileHours", 1, 24, 24);
  const pollTimeoutSeconds = await whole("pollTimeoutSeconds", 10, 900, 60);
  const logRetentionDays = await whole("logRetentionDays", 1, 3653, 30);
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    problems.push(`param logRetentionDays must be one of ${RETENTION_DAYS.join(", ")}, got "${logRetentionDays}"`);
  }

  const emailStatuses = (await read("emailStatuses")) ?? "Failed,Expired,PartiallyCompleted,Stopped,Completed";
  const unknown = emailStatuses.split(",").filter((status) => !STATUSES.includes(status));
  if (emailStatuses === "" || unknown.length > 0) {
    problems.push(
      `param emailStatuses must be a comma list, without spaces, of ${STATUSES.join(", ")}; ` +
        `not ${unknown.map((status) => JSON.stringify(status)).join(", ") || "an empty list"}`,
    );
  }

  const hosts = async (name, fallback) => {
    const raw = (await read(name)) ?? fallback;
    const bad = raw.split(",").filter((host) => !HOST_PATTERN.test(host));
    if (bad.length > 0) {
      problems.push(
        `param ${name} must be a comma list, without spaces, of host names or *.domain patterns; ` +
          `not ${bad.map((host) => JSON.stringify(host)).join(", ")}`,
      );
    }
    return raw;
  };
  const slackAllowedHosts = await hosts("slackAllowedHosts", "hooks.slack.com");
  const teamsAllowedHosts = await hosts(
    "teamsAllowedHosts",
    "*.logic.azure.com,*.environment.api.powerplatform.com,*.webhook.office.com",
  );

  // The bus's ARN as a !Sub string: given as an ARN, or a name in this account and region. With no bus the role that
  // uses it is not created; a well-formed placeholder keeps the template valid for linters all the same.
  const bus = (await read("eventBusName")) ?? "";
  const eventBusArn = bus.startsWith("arn:")
    ? bus
    : `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${bus || "none"}`;

  if (problems.length > 0) throw new Error(`Invalid deploy params:\n  - ${problems.join("\n  - ")}`);
  return {
    checked: {
      intervalMinutes,
      intervalSeconds,
      schedule: intervalMinutes === 1 ? "rate(1 minute)" : `rate(${intervalMinutes} minutes)`,
      maxEventAgeSeconds,
      lookbackMinutes,
      deepReconcileHours,
      pollTimeoutSeconds,
      logRetentionDays,
      emailStatuses,
      slackAllowedHosts,
      teamsAllowedHosts,
      eventBusArn,
    },
  };
};
