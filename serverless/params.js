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
const { loadRoutes, webhookGrants, emailResources, topicRoutes, busArn } = require("./routes.js");
// Printed once per packaging, however often the framework resolves this file.
let reported = false;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
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

  // People get early warnings and the daily digest by email unless emailWarnings=false. Neither carries a status
  // attribute, so the subscription selects them by eventType, in an $or with the statuses (docs/channels.md).
  const emailWarningsRaw = (await read("emailWarnings")) ?? "true";
  if (!["true", "false"].includes(emailWarningsRaw))
    problems.push(`param emailWarnings must be true or false, got "${emailWarningsRaw}"`);
  const emailEventTypes = [...(emailWarningsRaw === "false" ? [] : ["JobWarning"]), "DailyDigest"];
  const emailFilterPolicy = {
    $or: [{ status: emailStatuses.split(",") }, { eventType: emailEventTypes }],
  };

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

  // The simple param's bus (name or ARN); with no bus and no eventbridge route the EventBridge role is not created,
  // and a well-formed placeholder ARN keeps the template valid for linters all the same.
  const bus = (await read("eventBusName")) ?? "";

  // The estate: which (account, region) scopes one deployment watches (docs/deploy.md, "One account, many regions").
  const deploymentRegion = String(await resolveVariable("opt:region, 'us-east-1'"));
  const list = async (name, pattern, shape) => {
    const raw = (await read(name)) ?? "";
    if (raw === "") return [];
    const values = raw.split(",");
    const bad = values.filter((value) => !pattern.test(value));
    if (bad.length > 0)
      problems.push(
        `param ${name} must be a comma list, without spaces, of ${shape}; not ${bad.map((v) => JSON.stringify(v)).join(", ")}`,
      );
    const repeated = [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
    if (repeated.length > 0)
      problems.push(`param ${name} lists ${repeated.map((v) => JSON.stringify(v)).join(", ")} more than once`);
    return values;
  };
  const regions = await list("regions", REGION_PATTERN, "AWS regions such as us-east-1");
  if (regions.length === 0) regions.push(deploymentRegion);
  const accounts = await list("accounts", /^\d{12}$/, "12-digit account ids");
  const organizationRaw = (await read("organization")) ?? "false";
  if (!["true", "false"].includes(organizationRaw))
    problems.push(`param organization must be true or false, got "${organizationRaw}"`);
  const organization = organizationRaw === "true";
  const organizationId = (await read("organizationId")) ?? "";
  if (organization && accounts.length > 0)
    problems.push("param accounts must be empty when organization=true (the organization lists the accounts)");
  if (organization && !/^o-[a-z0-9]{10,32}$/.test(organizationId))
    problems.push(
      `param organizationId must be the organization's id (o-...) when organization=true, got "${organizationId}"`,
    );
  if (!organization && organizationId !== "") problems.push("param organizationId is only read with organization=true");
  const memberRoleName = (await read("memberRoleName")) ?? "bedrock-job-notifier-reader";
  if (!/^[\w+=,.@-]{1,64}$/.test(memberRoleName))
    problems.push(`param memberRoleName must be an IAM role name, got "${memberRoleName}"`);
  const aliases = (await read("accountAliases")) ?? "";
  const badAliases =
    aliases === "" ? [] : aliases.split(",").filter((entry) => !/^\d{12}:[\w.@+-][\w .@+-]{0,63}$/.test(entry));
  if (badAliases.length > 0)
    problems.push(
      `param accountAliases must be a comma list of <12-digit account id>:<alias>; not ${badAliases.map((v) => JSON.stringify(v)).join(", ")}`,
    );
  // The functions refuse an account named twice (src/config/estate-config.ts): refuse it here, before deploying.
  const aliased = aliases === "" ? [] : aliases.split(",").map((entry) => entry.split(":")[0]);
  const twice = [...new Set(aliased.filter((id, index) => /^\d{12}$/.test(id) && aliased.indexOf(id) !== index))];
  if (twice.length > 0)
    problems.push(`param accountAliases names ${twice.map((v) => JSON.stringify(v)).join(", ")} more than once`);
  const pollConcurrency = await whole("pollConcurrency", 2, 1000, 10);
  const eventConcurrency = await whole("eventConcurrency", 2, 1000, 2);
  const eventBatchWindowSeconds = await whole("eventBatchWindowSeconds", 0, 300, 5);
  // SQS hands Lambda more than 10 messages at once only with a batching window.
  const eventBatchSize = await whole("eventBatchSize", 1, eventBatchWindowSeconds > 0 ? 10000 : 10, 100);
  // Early warnings: each threshold 0 turns its kind off (the same bounds as src/config/warning-config.ts).
  const WEEK = 7 * 24 * 60;
  const warn = {
    warnStuckSubmittedMinutes: await whole("warnStuckSubmittedMinutes", 0, WEEK, 60),
    warnStuckValidatingMinutes: await whole("warnStuckValidatingMinutes", 0, WEEK, 120),
    warnStuckScheduledMinutes: await whole("warnStuckScheduledMinutes", 0, WEEK, 1440),
    warnExpiryHours: await whole("warnExpiryHours", 0, 168, 24),
    warnExpiryPercent: await whole("warnExpiryPercent", 0, 100, 25),
    warnErrorRatePercent: await whole("warnErrorRatePercent", 0, 100, 5),
    warnErrorRateMinRecords: await whole("warnErrorRateMinRecords", 1, 1_000_000_000, 100),
    warnNoProgressMinutes: await whole("warnNoProgressMinutes", 0, WEEK, 120),
    warnMayNotFinishMinutes: await whole("warnMayNotFinishMinutes", 0, WEEK, 60),
  };

  // The daily digest: an EventBridge schedule expression, or off (the CLI cannot pass an empty value) for none.
  const digestRaw = (await read("digestSchedule")) ?? "cron(0 8 * * ? *)";
  const digestSchedule = digestRaw === "off" ? "" : digestRaw;
  if (
    digestSchedule !== "" &&
    !/^(cron\([^()]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/.test(digestSchedule)
  )
    problems.push(`param digestSchedule must be cron(...) or rate(...), or off for no digest; got "${digestSchedule}"`);

  // Destinations: the simple params (one route each), or a routes file (docs/channels.md, "Routes"), never both.
  const routesFile = (await read("routesFile")) ?? "";
  const webhookParams = {
    slack: (await read("slackWebhookParameter")) ?? "",
    teams: (await read("teamsWebhookParameter")) ?? "",
  };
  let plan = null;
  if (routesFile !== "") {
    for (const name of ["notifyEmail", "emailStatuses", "slackWebhookParameter", "teamsWebhookParameter"])
      if (((await read(name)) ?? "") !== "")
        problems.push(`param ${name} cannot be set with routesFile: list that destination in ${routesFile} instead`);
    const loaded = loadRoutes(routesFile);
    problems.push(...loaded.problems);
    plan = loaded.plan;
    if (bus !== "" && plan && plan.eventbridge.length > 0)
      problems.push(
        `param eventBusName cannot be set with eventbridge routes in ${routesFile}: list that bus there instead`,
      );
    if (!reported) {
      reported = true;
      for (const warning of loaded.warnings) console.warn(`Warning: routes file ${routesFile}: ${warning}`);
      if (plan) console.log(`Routes (${routesFile}):\n  ${plan.summary.join("\n  ")}`);
    }
  }
  const webhook = (format) => {
    const routes = plan ? plan[format] : [];
    const names = plan ? routes.map((route) => route.target) : [webhookParams[format]].filter(Boolean);
    const grants = webhookGrants(names);
    return {
      enabled: String(names.length > 0),
      // The simple param, or the routes (JSON, parameter NAMES only) the function filters in code.
      parameter: plan ? "" : webhookParams[format],
      routes: routes.length > 0 ? JSON.stringify(routes) : "",
      parameterArns:
        grants.parameterArns.length > 0 ? grants.parameterArns : [webhookGrants(["/none"]).parameterArns[0]],
      // "/aws/reference/secretsmanager/<name>" reads a Secrets Manager secret through Parameter Store.
      secretStatement:
        grants.secretArns.length > 0
          ? {
              Sid: "ReadWebhookSecret",
              Effect: "Allow",
              Action: "secretsmanager:GetSecretValue",
              Resource: grants.secretArns,
            }
          : { Sid: "NoWebhookSecret", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "*" },
    };
  };

  // The EventBridge function: the eventBusName param, or the routes file's eventbridge routes, filtered in code.
  const busRoutes = plan ? plan.eventbridge : [];
  const eventBridge = {
    enabled: String(bus !== "" || busRoutes.length > 0),
    routes: busRoutes.length > 0 ? JSON.stringify(busRoutes) : "",
    // PutEvents on exactly these buses.
    // An ARN as given (cfn-lint: no Fn::Sub without variables); a name, as a !Sub ARN of this account and region.
    busArns: (busRoutes.length > 0 ? busRoutes.map((route) => route.target) : [bus || "none"]).map((target) =>
      target.startsWith("arn:") ? target : { "Fn::Sub": busArn(target) },
    ),
  };

  // The chat function: the shared ChatTopic, or with chat routes one topic per route, filtered in code.
  const chatRoutes = topicRoutes(plan ? plan.chat : [], "Bedrock batch jobs (Amazon Q Developer)");
  const chat = {
    routes: chatRoutes.environment,
    // sns:Publish on exactly the topics it publishes to.
    topics: chatRoutes.topics.length > 0 ? chatRoutes.topics : [{ Ref: "ChatTopic" }],
  };

  // The email function: everything to the email topic (SNS-filtered subscriptions), and to each email route SNS
  // cannot filter, on its own topic, what that route's filter matches.
  const emailRoutes = topicRoutes(plan ? plan.emailInCode : [], "Bedrock batch jobs");
  const email = {
    routes: emailRoutes.environment,
    topics: [{ Ref: "EmailTopic" }, ...emailRoutes.topics],
  };

  // One scope is polled in-process by `poll`; more (or the organization's) are fanned out by `dispatch` over SQS.
  const scopeCount = organization ? Number.POSITIVE_INFINITY : Math.max(1, accounts.length) * regions.length;

  if (problems.length > 0) throw new Error(`Invalid deploy params:\n  - ${problems.join("\n  - ")}`);
  return {
    // Per-route resources (email routes' subscriptions); empty with the simple params.
    routeResources: {
      Resources: { ...(plan ? emailResources(plan) : {}), ...emailRoutes.resources, ...chatRoutes.resources },
      Outputs: { ...emailRoutes.outputs, ...chatRoutes.outputs },
    },
    checked: {
      slack: webhook("slack"),
      teams: webhook("teams"),
      eventBridge,
      chat,
      email,
      intervalMinutes,
      intervalSeconds,
      schedule: intervalMinutes === 1 ? "rate(1 minute)" : `rate(${intervalMinutes} minutes)`,
      maxEventAgeSeconds,
      lookbackMinutes,
      deepReconcileHours,
      pollTimeoutSeconds,
      logRetentionDays,
      emailStatuses,
      emailFilterPolicy,
      slackAllowedHosts,
      teamsAllowedHosts,
      ...warn,
      digest: digestSchedule === "" ? "off" : "on",
      digestSchedule,
      topology: scopeCount > 1 ? "estate" : "single",
      regions: regions.join(","),
      accounts: accounts.join(","),
      organization: String(organization),
      organizationId,
      memberRoleName,
      // Accounts outside this one: the functions may assume their reader role, and the default bus takes their events.
      readsOtherAccounts: String(organization || accounts.length > 0),
      accountAliases: aliases,
      // The reader role in each listed account, or in any account of the organization.
      assumeStatement: {
        Sid: "AssumeMemberReaderRoles",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: (organization ? ["*"] : accounts).map((id) => ({
          "Fn::Sub": `arn:\${AWS::Partition}:iam::${id}:role/${memberRoleName}`,
        })),
        ...(organization ? { Condition: { StringEquals: { "aws:ResourceOrgID": organizationId } } } : {}),
      },
      // The default bus takes the member accounts' forwarded events: the organization's, or the listed accounts'.
      busStatement: {
        Effect: "Allow",
        Principal: organization
          ? "*"
          : {
              AWS: (accounts.length > 0 ? accounts : [`\${AWS::AccountId}`]).map((id) => ({
                "Fn::Sub": `arn:\${AWS::Partition}:iam::${id}:root`,
              })),
            },
        Action: "events:PutEvents",
        Resource: { "Fn::Sub": `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/default` },
        ...(organization ? { Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } } } : {}),
      },
      pollConcurrency,
      eventConcurrency,
      eventBatchSize,
      eventBatchWindowSeconds,
      // The event queue hides a message this long while a batch works on it: at least the function's timeout.
      eventVisibilitySeconds: pollTimeoutSeconds * 2,
      // A scope message outlives its round by nothing: the next round's message is already queued by then.
      scopeMessageRetentionSeconds: Math.max(60, intervalSeconds),
      // GetModelInvocationJob in this account, in each configured region.
      ownJobArns: regions.map((region) => ({
        "Fn::Sub": `arn:\${AWS::Partition}:bedrock:${region}:\${AWS::AccountId}:model-invocation-job/*`,
      })),
    },
  };
};
