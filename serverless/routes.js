// The routes file (param routesFile, e.g. notifier.routes.yml; docs/channels.md, "Routes"), checked at package time
// against schema/routes.schema.json and turned into what the template needs. Required by serverless/params.js.
//
// Per route type:
// - email: one SNS subscription on the email topic, its filter compiled to the subscription's filter policy (free, in
//   SNS). A filter SNS cannot express (a glob, more than 5 attributes, more than 150 combinations) is applied in code
//   instead, like chat: the route gets a topic of its own with an unfiltered subscription, and the email function
//   publishes to it (EMAIL_ROUTES) each event the filter matches, besides publishing everything to the email topic.
// - slack, teams: always filtered in code; the Slack or Teams function gets every route of its type in WEBHOOK_ROUTES
//   (names, parameter NAMES, filters; never a URL) and may read exactly those parameters.
// - eventbridge: always filtered in code; the EventBridge function gets every eventbridge route in EVENTBRIDGE_ROUTES
//   (names, buses, filters) and may PutEvents on exactly those buses. The eventBusName param cannot be set as well.
// - chat: Amazon Q subscribes to a topic itself, so no filter policy of ours can sit on its subscription. Each chat
//   route gets a topic of its own (output ChatRoute<Name>TopicArn, for Amazon Q to subscribe to); the chat function
//   gets every chat route in CHAT_ROUTES (names, topic ARNs, filters), filters in code and publishes each event to
//   every matching route's topic, and to no other (the shared ChatTopic then gets nothing).
const { readFileSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
// The one filter model (src/domain/route-filter.ts), loaded through tsx as the functions bundle it through esbuild.
const filters = require("tsx/cjs/api").require("../src/domain/route-filter.ts", __filename);

const SECRET_PREFIX = "/aws/reference/secretsmanager/";
/** Lambda allows 4 KB of environment per function; the routes JSON must leave room for the rest. */
const MAX_ROUTES_ENV = 2500;
const PEOPLE = ["email", "chat", "slack", "teams"];
/** As long as any topic ARN this stack makes: arn:aws-us-gov:sns:<region>:<account>:<stack>-<topic>-<suffix>. */
const TOPIC_ARN_BOUND = "x".repeat(160);

const logicalId = (name) =>
  name
    .split("-")
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");

/** One readable line per schema error: the route (by name) and the field. */
function describe(error, document) {
  const parts = error.instancePath.split("/").slice(1);
  const where =
    parts[0] === "routes" && parts.length > 1
      ? `route ${JSON.stringify(document.routes[Number(parts[1])]?.name ?? `#${Number(parts[1]) + 1}`)}` +
        (parts.length > 2 ? `, field ${parts.slice(2).join(".")}` : "")
      : parts.length > 0
        ? `field ${parts.join(".")}`
        : "the file";
  switch (error.keyword) {
    case "additionalProperties":
      return `${where}: unknown field "${error.params.additionalProperty}"`;
    case "required":
      return parts.length === 0
        ? `the file has no "routes" list`
        : `${where}: missing field "${error.params.missingProperty}"`;
    case "enum":
      return `${where}: unknown value ${JSON.stringify(error.data)}; one of ${error.params.allowedValues.join(", ")}`;
    case "minItems":
      return parts.length === 1 ? "the route list is empty" : `${where}: ${error.message}`;
    case "false schema":
      return `${where}: does not belong to a route of this type`;
    default:
      return `${where}: ${error.message}`;
  }
}

/**
 * Reads and checks a routes file. Returns { problems, warnings, plan }; plan is null when there are problems.
 * `file` is relative to the service directory.
 */
function loadRoutes(file) {
  const problems = [];
  const warnings = [];
  let document;
  try {
    document = require("yaml").parse(readFileSync(path.resolve(process.cwd(), file), "utf8"));
  } catch (error) {
    return { problems: [`routes file ${file} cannot be read: ${error.message}`], warnings, plan: null };
  }
  const Ajv2020 = require("ajv/dist/2020").default;
  const validate = new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(
    JSON.parse(readFileSync(path.join(root, "schema", "routes.schema.json"), "utf8")),
  );
  if (!validate(document)) {
    const lines = validate.errors.filter((e) => e.keyword !== "if").map((e) => describe(e, document ?? {}));
    return { problems: [...new Set(lines)].map((line) => `routes file ${file}: ${line}`), warnings, plan: null };
  }

  const seen = new Map();
  for (const route of document.routes) {
    const id = logicalId(route.name);
    if (seen.has(id))
      problems.push(
        `routes file ${file}: route names ${JSON.stringify(seen.get(id))} and ${JSON.stringify(route.name)} ` +
          "are the same name (names must be unique, hyphens aside)",
      );
    seen.set(id, route.name);
  }

  const plan = { email: [], emailInCode: [], slack: [], teams: [], eventbridge: [], chat: [], summary: [] };
  for (const route of document.routes) {
    const label = `route ${JSON.stringify(route.name)}`;
    const filter = route.filter ?? (PEOPLE.includes(route.type) ? filters.DEFAULT_PEOPLE_FILTER : {});
    if (!filters.canMatch(filter)) warnings.push(`${label}: its filter can match no event; nothing will reach it`);
    if (route.type === "email") {
      const compiled = filters.toSnsFilterPolicy(filter);
      if (!compiled.ok) {
        const id = `EmailRoute${logicalId(route.name)}Topic`;
        plan.emailInCode.push({ name: route.name, id, address: route.address, filter });
        plan.summary.push(
          `${label} (email): filtered in code by the email function, published to its own topic ${id} ` +
            `(SNS cannot apply its filter: ${compiled.reason})`,
        );
      } else {
        plan.email.push({
          name: route.name,
          id: logicalId(route.name),
          address: route.address,
          policy: compiled.policy,
        });
        plan.summary.push(`${label} (email): filtered by SNS (subscription filter policy)`);
      }
    } else if (route.type === "slack" || route.type === "teams") {
      plan[route.type].push({ name: route.name, target: route.webhookParameter, filter });
      plan.summary.push(`${label} (${route.type}): filtered in code by the ${route.type} function`);
    } else if (route.type === "eventbridge") {
      plan.eventbridge.push({ name: route.name, target: route.bus, filter });
      plan.summary.push(`${label} (eventbridge): filtered in code by the eventbridge function`);
    } else {
      const id = `ChatRoute${logicalId(route.name)}Topic`;
      plan.chat.push({ name: route.name, id, filter });
      plan.summary.push(
        `${label} (chat): filtered in code by the chat function, published to its own topic (output ${id}Arn)`,
      );
    }
  }
  for (const type of ["slack", "teams", "eventbridge", "chat", "emailInCode"]) {
    // A topic's ARN counted as its unresolved Fn::Sub form, which is longer than any real one.
    const size = JSON.stringify(
      plan[type].map(({ name, target, filter }) => ({ name, target: target ?? TOPIC_ARN_BOUND, filter })),
    ).length;
    if (size > MAX_ROUTES_ENV)
      problems.push(
        `routes file ${file}: the ${type} routes take ${size} characters of the function's environment; ` +
          `Lambda allows 4 KB in all, so at most ${MAX_ROUTES_ENV}: fewer routes or shorter filters`,
      );
  }
  return { problems, warnings, plan: problems.length > 0 ? null : plan };
}

/** The IAM resources of the webhook parameters one function may read, as the simple params have always built them. */
function webhookGrants(parameterNames) {
  return {
    parameterArns: parameterNames.map((name) => ({
      "Fn::Sub": `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`,
    })),
    secretArns: parameterNames
      .filter((name) => name.startsWith(SECRET_PREFIX))
      .map((name) => ({
        "Fn::Sub": `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${name.slice(SECRET_PREFIX.length)}-??????`,
      })),
  };
}

/** A bus name or ARN as the !Sub ARN string IAM needs: a name is a bus of this account and region. */
function busArn(bus) {
  return bus.startsWith("arn:")
    ? bus
    : `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${bus}`;
}

/**
 * The email routes' subscriptions: on the email topic with the compiled filter policy, or (filtered in code) on the
 * route's own topic without one.
 */
function emailResources(plan) {
  const inCode = plan.emailInCode.map((route) => [
    `${route.id.replace(/Topic$/, "")}Subscription`,
    {
      Type: "AWS::SNS::Subscription",
      Properties: { TopicArn: { Ref: route.id }, Protocol: "email", Endpoint: route.address },
    },
  ]);
  return Object.fromEntries([
    ...inCode,
    ...plan.email.map((route) => [
      `EmailRoute${route.id}Subscription`,
      {
        Type: "AWS::SNS::Subscription",
        Properties: {
          TopicArn: { Ref: "EmailTopic" },
          Protocol: "email",
          Endpoint: route.address,
          FilterPolicyScope: "MessageAttributes",
          FilterPolicy: route.policy,
        },
      },
    ]),
  ]);
}

/**
 * Routes whose function publishes to a topic of their own (chat, and email routes SNS cannot filter): the topics
 * (customer key, TLS only), an output per topic, the routes' JSON for the function (topic ARNs by Ref, joined in
 * CloudFormation), and the topics' Refs for the function's sns:Publish grant.
 */
function topicRoutes(routes, displayName) {
  const resources = {};
  const outputs = {};
  for (const route of routes) {
    resources[route.id] = {
      Type: "AWS::SNS::Topic",
      Properties: { DisplayName: displayName, KmsMasterKeyId: { Ref: "EventsTopicKey" } },
    };
    outputs[`${route.id}Arn`] = {
      Description: `The topic of route ${route.name}`,
      Value: { Ref: route.id },
    };
  }
  if (routes.length === 0) return { resources, outputs, environment: "", topics: [] };
  const topics = routes.map((route) => ({ Ref: route.id }));
  resources[`${routes[0].id}TlsOnlyPolicy`] = {
    Type: "AWS::SNS::TopicPolicy",
    Properties: {
      Topics: topics,
      PolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: ["sns:Publish", "sns:Subscribe"],
            Resource: topics,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      },
    },
  };
  // [{"name":..,"target":"<Ref>","filter":..},...]: the JSON split around each topic ARN.
  const parts = ["["];
  routes.forEach((route, index) => {
    // No name or filter value can hold "@" (schema/routes.schema.json).
    const [before, after] = JSON.stringify({ name: route.name, target: "@", filter: route.filter }).split("@");
    parts.push(`${index > 0 ? "," : ""}${before}`, { Ref: route.id }, after);
  });
  parts.push("]");
  return { resources, outputs, environment: { "Fn::Join": ["", parts] }, topics };
}

module.exports = { loadRoutes, webhookGrants, emailResources, topicRoutes, logicalId, busArn };
