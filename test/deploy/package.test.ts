import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS } from "@aws-lambda-powertools/idempotency";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DEFAULT_PEOPLE_FILTER, type RouteFilter } from "../../src/domain/route-filter";
import { KNOWN_STATUSES } from "../../src/domain/status";
import { METRIC, SCOPE_DIMENSION } from "../../src/observability/metrics";
import { renderInstance } from "./support/cfn-evaluate";
import { readCfnYaml } from "./support/cfn-yaml";
import {
  type CfnResource,
  type CfnTemplate,
  type PackagedService,
  packageService,
  packageServiceExpectingFailure,
  repoRoot,
} from "./support/package-service";

// Seven offline `serverless package` runs side by side in beforeAll: four that must succeed (defaults: one scope;
// overrides; several scopes; the organization) and three sets of bad params that must be refused. Every assertion
// below reads their output. A full run takes a few seconds (esbuild bundles each function); a refused one stops at
// variable resolution. Bad params are grouped: serverless/params.js reports every problem of a run at once.
const PACKAGE_TIMEOUT_MS = 180_000;

const ZIP_BUDGET_BYTES = 300_000;
const SERVICE = "bedrock-job-notifier";
const ESTATE_ACCOUNTS = ["111111111111", "222222222222"];
const ESTATE_REGIONS = ["us-east-1", "eu-west-1"];
const ORGANIZATION_ID = "o-abcdefghij";
const ORG_READER_ROLE = "bjn-org-reader";
const DEFAULT_READER_ROLE = "bedrock-job-notifier-reader";
// CloudFormation Fn::Sub strings, not JavaScript templates.
// biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax
const OPEN_JOBS_INDEX_ARN = "${SnapshotTable.Arn}/index/open-jobs";
// biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax
const DEFAULT_BUS_ARN = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default";
/** This account's Bedrock jobs in one region, as the writer roles' BedrockGetJob statement names them. */
const jobsArn = (region: string) =>
  `arn:\${AWS::Partition}:bedrock:${region}:\${AWS::AccountId}:model-invocation-job/*`;
const readerRoleArn = (account: string, role: string) => `arn:\${AWS::Partition}:iam::${account}:role/${role}`;
const rootArn = (account: string) => `arn:\${AWS::Partition}:iam::${account}:root`;
const FUNCTION_ENV_KEYS = [
  "ACCOUNTS",
  "DEEP_RECONCILE_HOURS",
  "FIRST_RUN",
  "HOME_ACCOUNT_ID",
  "INTERVAL_MINUTES",
  "LOOKBACK_MINUTES",
  "MEMBER_ROLE_NAME",
  "ORGANIZATION",
  "POWERTOOLS_LOG_LEVEL",
  "POWERTOOLS_METRICS_NAMESPACE",
  "POWERTOOLS_SERVICE_NAME",
  "REGIONS",
  "SCOPE_QUEUE_URL",
  "SNAPSHOT_TABLE",
  "TOPIC_ARN",
  "WARN_ERROR_RATE_MIN_RECORDS",
  "WARN_ERROR_RATE_PERCENT",
  "WARN_EXPIRY_HOURS",
  "WARN_EXPIRY_PERCENT",
  "WARN_MAY_NOT_FINISH_MINUTES",
  "WARN_NO_PROGRESS_MINUTES",
  "WARN_STUCK_SCHEDULED_MINUTES",
  "WARN_STUCK_SUBMITTED_MINUTES",
  "WARN_STUCK_VALIDATING_MINUTES",
];
/** The functions that read and write the snapshot, per topology. */
const SINGLE_WRITERS = ["PollLambdaFunction", "OnBedrockEventsLambdaFunction"];
const ESTATE_WRITERS = ["DispatchLambdaFunction", "PollScopeLambdaFunction", "OnBedrockEventsLambdaFunction"];
/** The people channels' functions and roles: they record each delivery, so a re-send posts nothing. */
const PEOPLE_CHANNELS = ["Email", "Chat", "Slack", "Teams"];
const NOTIFY_FUNCTIONS = [
  "NotifyEmailLambdaFunction",
  "NotifyChatLambdaFunction",
  "NotifySlackLambdaFunction",
  "NotifyTeamsLambdaFunction",
  "NotifyEventBridgeLambdaFunction",
];
/** What only the several-scopes topology creates, and what only the one-scope topology creates. */
const ESTATE_ONLY = [
  "DispatchLambdaFunction",
  "PollScopeLambdaFunction",
  "ScopeQueue",
  "ScopeQueuePolicy",
  "DispatchRole",
  "DispatchErrorsAlarm",
  "PollScopeErrorsAlarm",
];
const SINGLE_ONLY = ["PollLambdaFunction", "PollLambdaEvConf", "PollErrorsAlarm", "PollLogGroup"];
/** Encrypted with SSE-SQS rather than the customer key: EventBridge and SQS redrive need no key grant for them. */
const SSE_SQS_QUEUES = ["BedrockEventQueue", "BedrockEventDlq"];
/** What Lambda's SQS event source needs of the function's role, and nothing more. */
const SQS_CONSUME = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"];

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const getAtt = (id: string, attribute = "Arn") => ({ "Fn::GetAtt": [id, attribute] });

function resource(template: CfnTemplate, logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`template has no resource ${logicalId}`);
  return found;
}

function props(template: CfnTemplate, logicalId: string): Record<string, unknown> {
  return resource(template, logicalId).Properties ?? {};
}

function ofType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/**
 * A Condition's value. Params are resolved at package time, so every Condition over a param compares literals;
 * anything else throws, so a test never passes on a condition it could not read.
 */
function conditionValue(template: CfnTemplate, name: string): boolean {
  const evaluate = (node: unknown): unknown => {
    if (typeof node === "string") return node;
    const [entry] = Object.entries(node as Record<string, unknown>);
    const [fn, args] = entry ?? [];
    if (fn === "Fn::Equals") return evaluate((args as unknown[])[0]) === evaluate((args as unknown[])[1]);
    if (fn === "Fn::Not") return evaluate((args as unknown[])[0]) === false;
    if (fn === "Condition") return conditionValue(template, String(args));
    throw new Error(`condition ${name} is not constant: ${JSON.stringify(node)}`);
  };
  const expression = template.Conditions?.[name];
  if (expression === undefined) throw new Error(`template has no condition ${name}`);
  const value = evaluate(expression);
  if (typeof value !== "boolean") throw new Error(`condition ${name} is not a boolean`);
  return value;
}

const NO_VALUE = Symbol("AWS::NoValue");

/** The node with every Fn::If decided (the conditions are constant) and every AWS::NoValue dropped. */
function decided(template: CfnTemplate, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => decided(template, item)).filter((item) => item !== NO_VALUE);
  if (node === null || typeof node !== "object") return node;
  const entries = Object.entries(node);
  if (entries.length === 1 && entries[0]?.[0] === "Ref" && entries[0][1] === "AWS::NoValue") return NO_VALUE;
  if (entries.length === 1 && entries[0]?.[0] === "Fn::If") {
    const [name, whenTrue, whenFalse] = entries[0][1] as [string, unknown, unknown];
    return decided(template, conditionValue(template, name) ? whenTrue : whenFalse);
  }
  return Object.fromEntries(
    entries.map(([key, value]) => [key, decided(template, value)]).filter(([, value]) => value !== NO_VALUE),
  );
}

/** Every statement of a role's inline policies, Fn::If decided. */
function roleStatements(template: CfnTemplate, roleId: string): Statement[] {
  const policies = props(template, roleId).Policies as { PolicyDocument: { Statement: unknown[] } }[];
  return policies.flatMap((policy) => decided(template, policy.PolicyDocument.Statement) as Statement[]);
}

/** The role of poll (one scope) or pollScope (several): the framework's default role. */
function lambdaStatements(template: CfnTemplate): Statement[] {
  return roleStatements(template, "IamRoleLambdaExecution");
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function statementFor(template: CfnTemplate, action: string): Statement {
  const matches = lambdaStatements(template).filter((s) => actionsOf(s).includes(action));
  expect(matches, `exactly one statement grants ${action}`).toHaveLength(1);
  return matches[0] as Statement;
}

/** Each SQS action a role's statements grant, with the resources it is granted on: `action -> resources`. */
function sqsGrants(statements: Statement[]): Record<string, unknown[]> {
  const grants: Record<string, unknown[]> = {};
  for (const statement of statements) {
    for (const action of actionsOf(statement).filter((a) => a.startsWith("sqs:"))) {
      grants[action] = [...(grants[action] ?? []), ...[statement.Resource].flat()];
    }
  }
  return grants;
}

function policyStatements(template: CfnTemplate, logicalId: string): Statement[] {
  return (props(template, logicalId).PolicyDocument as { Statement: Statement[] }).Statement;
}

/** The named alarm's properties, checked to watch the given metric (channel fragments may add alarms of their own). */
function alarm(template: CfnTemplate, logicalId: string, metricName: string): Record<string, unknown> {
  expect(resource(template, logicalId).Type).toBe("AWS::CloudWatch::Alarm");
  const properties = props(template, logicalId);
  expect(properties.MetricName).toBe(metricName);
  return properties;
}

function environmentOf(template: CfnTemplate, logicalId: string): Record<string, unknown> {
  return (props(template, logicalId).Environment as { Variables: Record<string, unknown> }).Variables;
}

/** rate(N unit[s]) in seconds; the schedule param is always a rate in these tests. */
function rateSeconds(expression: unknown): number {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(String(expression));
  if (!match) throw new Error(`not a rate expression: ${String(expression)}`);
  const unit = { minute: 60, hour: 3600, day: 86_400 }[match[2] as "minute" | "hour" | "day"];
  return Number(match[1]) * unit;
}

/** The schedule rule that invokes the given function (poll with one scope, dispatch with several). */
function scheduleRuleOf(template: CfnTemplate, functionId = "PollLambdaFunction"): Record<string, unknown> {
  const rules = ofType(template, "AWS::Events::Rule").filter(
    ([, r]) =>
      r.Properties?.ScheduleExpression !== undefined && JSON.stringify(r.Properties.Targets).includes(functionId),
  );
  expect(rules).toHaveLength(1);
  return rules[0]?.[1].Properties ?? {};
}

/** The function the schedule invokes: poll with one scope, dispatch with several. */
function schedulerOf(template: CfnTemplate): string {
  return template.Resources.DispatchLambdaFunction ? "DispatchLambdaFunction" : "PollLambdaFunction";
}

/** The SQS event source mappings of one function. */
function eventSourcesOf(template: CfnTemplate, functionId: string): Record<string, unknown>[] {
  return ofType(template, "AWS::Lambda::EventSourceMapping")
    .map(([, mapping]) => mapping.Properties ?? {})
    .filter((mapping) => JSON.stringify(mapping.FunctionName) === JSON.stringify(getAtt(functionId)));
}

function onlyEventSourceOf(template: CfnTemplate, functionId: string): Record<string, unknown> {
  const mappings = eventSourcesOf(template, functionId);
  expect(mappings, `${functionId} has exactly one event source`).toHaveLength(1);
  return mappings[0] as Record<string, unknown>;
}

/** The zip each Lambda function of the template deploys, by file name. */
function zipsOf(template: CfnTemplate): string[] {
  return ofType(template, "AWS::Lambda::Function")
    .map(([, fn]) => String((fn.Properties?.Code as { S3Key?: string } | undefined)?.S3Key).replace(/^.*\//, ""))
    .sort();
}

/** The ScopeFailuresAlarm query, parsed: the namespace, dimensions, service filter and grouping it names. */
const SCOPE_QUERY =
  /^SELECT SUM\((\w+)\) FROM SCHEMA\("([^"]+)", (\w+), service\) WHERE service = '([^']+)' GROUP BY (\w+)$/;

describe("serverless package", () => {
  let defaults: PackagedService;
  let overridden: PackagedService;
  let estate: PackagedService;
  let organization: PackagedService;
  let badFirstRunOutput: string;
  let badParamsOutput: string;
  let oldScheduleAndEstateOutput: string;
  let routed: PackagedService;

  beforeAll(async () => {
    [
      defaults,
      overridden,
      estate,
      organization,
      badFirstRunOutput,
      badParamsOutput,
      oldScheduleAndEstateOutput,
      routed,
    ] = await Promise.all([
      packageService(),
      packageService({
        stage: "prod",
        region: "eu-west-1",
        params: {
          intervalMinutes: "10",
          firstRun: "notify",
          alarmEmail: "ops@example.com",
          logRetentionDays: "90",
          pollTimeoutSeconds: "90",
          metricsNamespace: "BjnProd",
          eventBatchSize: "500",
          eventBatchWindowSeconds: "20",
          eventConcurrency: "5",
          accountAliases: "111111111111:prod,222222222222:staging team",
          notifyEmail: "team@example.com",
          emailStatuses: "Failed,Expired",
          emailWarnings: "false",
        },
      }),
      packageService({ params: { regions: ESTATE_REGIONS.join(","), accounts: ESTATE_ACCOUNTS.join(",") } }),
      packageService({
        params: {
          organization: "true",
          organizationId: ORGANIZATION_ID,
          memberRoleName: ORG_READER_ROLE,
          pollConcurrency: "25",
        },
      }),
      packageServiceExpectingFailure({ params: { firstRun: "notfy" } }),
      packageServiceExpectingFailure({
        params: {
          emailStatuses: "Failed, Expired,Faild",
          emailWarnings: "yes",
          intervalMinutes: "0",
          deepReconcileHours: "48",
          lookbackMinutes: "abc",
          logRetentionDays: "31",
          slackAllowedHosts: "hooks.slack.com,https://evil",
          // An organization id without organization=true.
          organizationId: ORGANIZATION_ID,
        },
      }),
      packageServiceExpectingFailure({
        params: {
          schedule: "rate(1 minute)",
          scheduleIntervalSeconds: "60",
          // The estate's own mistakes, in the same run: params.js reports every problem at once.
          organization: "true",
          regions: "us-east-1,us-east-1,EU-West-1",
          accounts: "111111111111,111111111111,12345",
          accountAliases: "111111111111:prod,staging,111111111111:qa",
          eventBatchSize: "50",
          eventBatchWindowSeconds: "0",
          pollConcurrency: "1",
        },
      }),
      packageService({ params: { routesFile: "notifier.routes.example.yml" } }),
    ]);
  }, PACKAGE_TIMEOUT_MS);

  describe("with the default params (one scope)", () => {
    it("creates the snapshot table on demand, keyed by pk, with the open-jobs index, TTL, PITR and SSE, and retains it", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const table = resource(template, "SnapshotTable");

      // Assess
      expect(table.Type).toBe("AWS::DynamoDB::Table");
      expect(table.DeletionPolicy).toBe("Retain");
      expect(table.UpdateReplacePolicy).toBe("Retain");
      expect(table.Properties).toMatchObject({
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
          {
            IndexName: "open-jobs",
            KeySchema: [
              { AttributeName: "openShard", KeyType: "HASH" },
              { AttributeName: "pk", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      expect(table.Properties?.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "openShard", AttributeType: "S" },
        ]),
      );
    });

    it("encrypts the events and alarm topics with a rotating customer-managed key that AWS services of this account may use", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const key = props(template, "EventsTopicKey");
      const statements = (key.KeyPolicy as { Statement: (Statement & { Principal: unknown; Condition?: unknown })[] })
        .Statement;

      // Assess
      expect(resource(template, "EventsTopicKey").Type).toBe("AWS::KMS::Key");
      expect(key.EnableKeyRotation).toBe(true);
      expect(resource(template, "EventsTopicKeyAlias").Type).toBe("AWS::KMS::Alias");
      const services = statements.find((s) => JSON.stringify(s.Principal).includes("Service"));
      expect(services).toMatchObject({
        Principal: {
          // No grant that no service uses: nothing on EventBridge publishes to these topics.
          Service: ["sns.amazonaws.com", "cloudwatch.amazonaws.com"],
        },
        Action: expect.arrayContaining(["kms:GenerateDataKey*", "kms:Decrypt"]),
        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
      });
      expect(actionsOf(services as Statement)).toHaveLength(2);
      for (const topic of ["EventsTopic", "AlarmTopic"]) {
        expect(resource(template, topic).Type).toBe("AWS::SNS::Topic");
        expect(props(template, topic).KmsMasterKeyId).toEqual({ Ref: "EventsTopicKey" });
        expect(props(template, topic).FifoTopic).toBeUndefined();
      }
      expect(props(template, "EventsTopic").DisplayName).toEqual(expect.any(String));
      // CloudWatch Logs may use the key for this account's log groups, and every function's log group uses it, in
      // either topology.
      const logs = statements.find((s) => JSON.stringify(s.Principal).includes("logs."));
      expect(JSON.stringify(logs?.Condition)).toContain("kms:EncryptionContext:aws:logs:arn");
      for (const packaged of [defaults, estate]) {
        const logGroups = ofType(packaged.template, "AWS::Logs::LogGroup");
        expect(logGroups).toHaveLength(ofType(packaged.template, "AWS::Lambda::Function").length);
        for (const [, group] of logGroups) expect(group.Properties?.KmsKeyId).toEqual(getAtt("EventsTopicKey"));
      }
      expect(ofType(defaults.template, "AWS::Logs::LogGroup").length).toBeGreaterThanOrEqual(7);
    });

    it("lets only the notifier's roles publish events, and denies non-TLS access to every topic and queue", () => {
      for (const { template } of [defaults, estate]) {
        // Prepare
        const denials = [
          ...ofType(template, "AWS::SNS::TopicPolicy"),
          ...ofType(template, "AWS::SQS::QueuePolicy"),
        ].flatMap(
          ([, policy]) =>
            (policy.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
        );

        // Act
        const publishers = denials.find((s) => s.Sid === "OnlyTheNotifierPublishes") as Statement & {
          Condition: unknown;
        };
        const tls = JSON.stringify(denials.filter((s) => s.Sid === "DenyInsecureTransport"));

        // Assess
        expect(publishers).toMatchObject({ Effect: "Deny", Resource: { Ref: "EventsTopic" } });
        expect(publishers.Condition).toEqual({
          ArnNotEquals: {
            "aws:PrincipalArn": [getAtt("IamRoleLambdaExecution"), getAtt("BedrockEventRole")],
          },
        });
        for (const topic of ofType(template, "AWS::SNS::Topic").map(([id]) => id))
          expect(tls).toContain(`"Ref":"${topic}"`);
        for (const queue of ofType(template, "AWS::SQS::Queue").map(([id]) => id))
          expect(tls).toContain(`"Fn::GetAtt":["${queue}","Arn"]`);
      }
    });

    it("sends failed poll invocations to a queue encrypted with the customer key, and encrypts every queue at rest", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const dlq = resource(template, "PollDlq");
      const invokeConfig = props(template, "PollLambdaEvConf");

      // Assess
      expect(dlq.Type).toBe("AWS::SQS::Queue");
      expect(dlq.Properties?.KmsMasterKeyId).toEqual({ Ref: "EventsTopicKey" });
      expect(invokeConfig.DestinationConfig).toEqual({ OnFailure: { Destination: getAtt("PollDlq") } });
      // Every queue is encrypted: with the customer key, except the ones EventBridge, SQS redrive or the dispatcher
      // fill (SSE-SQS, no key grant needed), which carry job ARNs, statuses and scope ids only.
      for (const [packaged, sseSqs] of [
        [defaults, SSE_SQS_QUEUES],
        [estate, [...SSE_SQS_QUEUES, "ScopeQueue"]],
      ] as const) {
        for (const [id, queue] of ofType(packaged.template, "AWS::SQS::Queue")) {
          if (sseSqs.includes(id)) {
            expect(queue.Properties?.SqsManagedSseEnabled, id).toBe(true);
            expect(queue.Properties?.KmsMasterKeyId, id).toBeUndefined();
          } else {
            expect(queue.Properties?.KmsMasterKeyId, id).toEqual({ Ref: "EventsTopicKey" });
          }
        }
        for (const id of sseSqs) expect(resource(packaged.template, id).Type).toBe("AWS::SQS::Queue");
      }
    });

    it("runs poll every 5 minutes, one at a time, without retries, dropping invocations older than the interval", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const rule = scheduleRuleOf(template);
      const poll = props(template, "PollLambdaFunction");
      const invokeConfig = props(template, "PollLambdaEvConf");

      // Assess
      expect(rule.ScheduleExpression).toBe("rate(5 minutes)");
      expect(rule.State).toBe("ENABLED");
      expect(JSON.stringify(rule.Targets)).toContain("PollLambdaFunction");
      expect(poll).toMatchObject({
        Handler: "handlers/poll.handler",
        ReservedConcurrentExecutions: 1,
        MemorySize: 256,
        Timeout: 60,
      });
      expect(invokeConfig.MaximumRetryAttempts).toBe(0);
      expect(invokeConfig.MaximumEventAgeInSeconds).toBeLessThanOrEqual(rateSeconds(rule.ScheduleExpression));
    });

    it("polls the one scope in-process: poll and no dispatcher, scope queue or workers, and no access to other accounts", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const present = (id: string) => template.Resources[id] !== undefined;

      // Assess
      for (const id of [...SINGLE_ONLY, "OnBedrockEventsLambdaFunction"]) expect(present(id), id).toBe(true);
      for (const id of ESTATE_ONLY) expect(present(id), id).toBe(false);
      expect(eventSourcesOf(template, "PollLambdaFunction")).toEqual([]);
      // Member access exists only under a condition that is false here: no AssumeRole, no foreign events on the bus.
      for (const id of ["AssumeMemberReaderRoles", "CentralBusAcceptsMemberEvents"])
        expect(resource(template, id).Condition).toBe("ReadsOtherAccounts");
      expect(conditionValue(template, "ReadsOtherAccounts")).toBe(false);
      const granted = [...lambdaStatements(template), ...roleStatements(template, "BedrockEventRole")].flatMap(
        actionsOf,
      );
      expect(granted).not.toContain("sts:AssumeRole");
    });

    it("sends Bedrock's batch job state changes from the default bus to the event queue, and nobody else may", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const bedrockRules = ofType(template, "AWS::Events::Rule").filter(([, r]) =>
        JSON.stringify(r.Properties?.EventPattern ?? {}).includes("aws.bedrock"),
      );
      const policy = props(template, "BedrockEventQueuePolicy");
      const statements = policyStatements(template, "BedrockEventQueuePolicy");
      const allows = statements.filter((s) => s.Effect === "Allow");

      // Assess
      expect(bedrockRules.map(([id]) => id)).toEqual(["BedrockEventRule"]);
      const rule = props(template, "BedrockEventRule");
      expect(rule).toMatchObject({
        EventPattern: { source: ["aws.bedrock"], "detail-type": ["Batch Inference Job State Change"] },
        State: "ENABLED",
      });
      expect(rule.EventBusName).toBeUndefined();
      // The queue is the rule's one target: no Lambda function is invoked by EventBridge directly any more.
      expect((rule.Targets as { Arn: unknown }[]).map((target) => target.Arn)).toEqual([getAtt("BedrockEventQueue")]);
      expect(policy.Queues).toEqual([{ Ref: "BedrockEventQueue" }]);
      expect(allows).toEqual([
        {
          Sid: "OnlyTheBedrockEventRule",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: getAtt("BedrockEventQueue"),
          Condition: { ArnEquals: { "aws:SourceArn": getAtt("BedrockEventRule") } },
        },
      ]);
      expect(statements.filter((s) => s.Effect !== "Allow").map((s) => s.Sid)).toEqual(["DenyInsecureTransport"]);
    });

    it("hands an event back up to 5 times, then to its DLQ, hiding it from other batches while one works on it", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const queue = props(template, "BedrockEventQueue");
      const dlq = props(template, "BedrockEventDlq");
      const fn = props(template, "OnBedrockEventsLambdaFunction");

      // Assess
      expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt("BedrockEventDlq"), maxReceiveCount: 5 });
      expect(Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(Number(fn.Timeout));
      expect(dlq.MessageRetentionPeriod).toBe(1209600);
      expect(dlq.RedrivePolicy).toBeUndefined();
    });

    it("runs onBedrockEvents on batches from the event queue, reporting failed items, under its own role", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const source = onlyEventSourceOf(template, "OnBedrockEventsLambdaFunction");
      const ownStatements = roleStatements(template, "BedrockEventRole");

      // Assess
      expect(props(template, "OnBedrockEventsLambdaFunction")).toMatchObject({
        Handler: "handlers/on-bedrock-events.handler",
        Timeout: 60,
        // Its own role, with the poll's writer statements and its event queue.
        Role: getAtt("BedrockEventRole"),
      });
      expect(source).toMatchObject({
        EventSourceArn: getAtt("BedrockEventQueue"),
        Enabled: true,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        // The params' defaults: eventBatchSize, eventBatchWindowSeconds, eventConcurrency.
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 5,
        ScalingConfig: { MaximumConcurrency: 2 },
      });
      // Invoked only by its event source: no asynchronous invocations, so no retry or destination settings.
      expect(template.Resources.OnBedrockEventsLambdaEvConf).toBeUndefined();
      expect(ownStatements.map((statement) => statement.Sid)).toEqual(
        expect.arrayContaining(
          lambdaStatements(template)
            .map((statement) => statement.Sid)
            .filter(Boolean),
        ),
      );
      // Exactly what Lambda's SQS poller needs on its own queue; it sends to no queue (SQS moves to the DLQ itself).
      expect(sqsGrants(ownStatements)).toEqual(
        Object.fromEntries(SQS_CONSUME.map((action) => [action, [getAtt("BedrockEventQueue")]])),
      );
      // Lambda starts polling only once the role may read the queue.
      const mapping = resource(template, "OnBedrockEventsEventSourceMappingSQSBedrockEventQueue");
      expect([(mapping as CfnResource & { DependsOn?: string | string[] }).DependsOn].flat()).toContain(
        "BedrockEventRole",
      );
    });

    it("runs every function on nodejs22.x for arm64", () => {
      for (const { template } of [defaults, estate]) {
        // Act
        const functions = ofType(template, "AWS::Lambda::Function").map(([, fn]) => fn.Properties ?? {});

        // Assess
        expect(functions.length).toBeGreaterThanOrEqual(7);
        for (const fn of functions) {
          expect(fn.Runtime).toBe("nodejs22.x");
          expect(fn.Architectures).toEqual(["arm64"]);
        }
      }
      expect(props(defaults.template, "PollLogGroup").RetentionInDays).toBe(30);
      expect(props(estate.template, "PollScopeLogGroup").RetentionInDays).toBe(30);
    });

    it("gives the writer functions exactly the documented environment, with nothing that looks like a secret", () => {
      // Prepare
      const { template } = defaults;
      const secretLike = /secret|token|password|webhook/i;

      for (const id of SINGLE_WRITERS) {
        // Act
        const env = environmentOf(template, id);

        // Assess
        expect(Object.keys(env).sort()).toEqual(FUNCTION_ENV_KEYS);
        expect(env).toMatchObject({
          SNAPSHOT_TABLE: { Ref: "SnapshotTable" },
          TOPIC_ARN: { Ref: "EventsTopic" },
          LOOKBACK_MINUTES: "60",
          FIRST_RUN: "baseline",
          POWERTOOLS_SERVICE_NAME: SERVICE,
          POWERTOOLS_METRICS_NAMESPACE: "BedrockJobNotifier",
          POWERTOOLS_LOG_LEVEL: "INFO",
          INTERVAL_MINUTES: "5",
          DEEP_RECONCILE_HOURS: "24",
          // One scope: this account, the deployment's region; no scope queue.
          HOME_ACCOUNT_ID: { Ref: "AWS::AccountId" },
          REGIONS: "us-east-1",
          ACCOUNTS: "",
          ORGANIZATION: "false",
          MEMBER_ROLE_NAME: DEFAULT_READER_ROLE,
          SCOPE_QUEUE_URL: "",
          // The early warnings' defaults (src/domain/warnings.ts DEFAULT_WARNING_THRESHOLDS).
          WARN_STUCK_SUBMITTED_MINUTES: "60",
          WARN_STUCK_VALIDATING_MINUTES: "120",
          WARN_STUCK_SCHEDULED_MINUTES: "1440",
          WARN_EXPIRY_HOURS: "24",
          WARN_EXPIRY_PERCENT: "25",
          WARN_ERROR_RATE_PERCENT: "5",
          WARN_ERROR_RATE_MIN_RECORDS: "100",
          WARN_NO_PROGRESS_MINUTES: "120",
          WARN_MAY_NOT_FINISH_MINUTES: "60",
        });
        const literalSecrets = Object.entries(env).filter(
          ([name, value]) => secretLike.test(name) && typeof value === "string",
        );
        expect(literalSecrets).toEqual([]);
      }
    });

    it("grants '*' only for listing Bedrock jobs; every other statement names its resources", () => {
      // Prepare
      const { template } = defaults;

      for (const statements of [lambdaStatements(template), roleStatements(template, "BedrockEventRole")]) {
        // Act
        const wildcard = statements.filter((s) => [s.Resource].flat().includes("*"));

        // Assess
        expect(wildcard).toHaveLength(1);
        expect(actionsOf(wildcard[0] as Statement)).toEqual(["bedrock:ListModelInvocationJobs"]);
        expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
        expect(statements.flatMap(actionsOf)).not.toContain("cloudwatch:PutMetricData");
      }
      // GetModelInvocationJob: this account's jobs in the configured regions (by default, the deployment's).
      expect(statementFor(template, "bedrock:GetModelInvocationJob").Resource).toEqual([
        { "Fn::Sub": jobsArn("us-east-1") },
      ]);
    });

    it("scopes publishing to the events topic, its key, the DLQ, and the DynamoDB actions to the table and its index", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const dynamodb = statementFor(template, "dynamodb:UpdateItem");
      const query = statementFor(template, "dynamodb:Query");

      // Assess
      expect(statementFor(template, "sns:Publish").Resource).toEqual({ Ref: "EventsTopic" });
      expect(statementFor(template, "kms:GenerateDataKey*").Resource).toEqual(getAtt("EventsTopicKey"));
      expect(statementFor(template, "kms:Decrypt").Resource).toEqual(getAtt("EventsTopicKey"));
      // The poll's role sends to its own DLQ and touches no other queue (the event queue is BedrockEventRole's); the
      // framework grants it once for each function that names the DLQ as its destination (poll and digest).
      expect(sqsGrants(lambdaStatements(template))).toEqual({
        "sqs:SendMessage": [getAtt("PollDlq"), getAtt("PollDlq")],
      });
      // Only what the code calls: every write is a conditional UpdateItem; the one Query is on the open-jobs index.
      expect(actionsOf(dynamodb).sort()).toEqual(["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]);
      expect(dynamodb.Resource).toEqual(getAtt("SnapshotTable"));
      expect(actionsOf(query)).toEqual(["dynamodb:Query"]);
      expect(query.Resource).toEqual({ "Fn::Sub": OPEN_JOBS_INDEX_ARN });
      const granted = lambdaStatements(template).flatMap(actionsOf);
      for (const unused of ["dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:Scan", "dynamodb:DeleteItem"])
        expect(granted).not.toContain(unused);
    });

    it("alarms on poll errors, publish failures, missed polls, non-empty DLQs and Bedrock access denials", () => {
      // Prepare
      const { template } = defaults;
      const interval = rateSeconds(scheduleRuleOf(template).ScheduleExpression);
      const serviceDimension = [{ Name: "service", Value: SERVICE }];
      const toAlarmTopic = { AlarmActions: [{ Ref: "AlarmTopic" }] };

      // Act
      const pollErrors = alarm(template, "PollErrorsAlarm", "Errors");
      const publishFailures = alarm(template, "PublishFailuresAlarm", "PublishFailures");
      const pollSucceeded = alarm(template, "PollStalledAlarm", "PollSucceeded");
      const dlq = alarm(template, "PollDlqNotEmptyAlarm", "ApproximateNumberOfMessagesVisible");
      const eventDlq = alarm(template, "BedrockEventDlqNotEmptyAlarm", "ApproximateNumberOfMessagesVisible");
      const accessDenied = alarm(template, "BedrockAccessDeniedAlarm", "BedrockAccessDenied");
      const late = alarm(template, "ReconciledLateAlarm", "ReconciledLate");
      expect(late).toMatchObject({ Statistic: "Sum", Threshold: 1, Period: 300 });

      // Assess
      expect(pollErrors).toMatchObject({
        ...toAlarmTopic,
        Namespace: "AWS/Lambda",
        Dimensions: [{ Name: "FunctionName", Value: { Ref: "PollLambdaFunction" } }],
        Statistic: "Sum",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      for (const alarm of [publishFailures, accessDenied]) {
        expect(alarm).toMatchObject({
          ...toAlarmTopic,
          Namespace: "BedrockJobNotifier",
          Dimensions: serviceDimension,
          Statistic: "Sum",
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        });
      }
      expect(pollSucceeded).toMatchObject({
        ...toAlarmTopic,
        Namespace: "BedrockJobNotifier",
        Dimensions: serviceDimension,
        Statistic: "Sum",
        Period: interval,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 1,
        ComparisonOperator: "LessThanThreshold",
        TreatMissingData: "breaching",
      });
      for (const [queueAlarm, queue] of [
        [dlq, "PollDlq"],
        [eventDlq, "BedrockEventDlq"],
      ] as const) {
        expect(queueAlarm).toMatchObject({
          ...toAlarmTopic,
          Namespace: "AWS/SQS",
          Dimensions: [{ Name: "QueueName", Value: getAtt(queue, "QueueName") }],
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        });
      }
    });

    it("alarms per failing scope with one Metrics Insights query grouping ScopeFailed by Scope", () => {
      for (const [{ template }, namespace] of [
        [defaults, "BedrockJobNotifier"],
        [overridden, "BjnProd"],
        [estate, "BedrockJobNotifier"],
      ] as const) {
        // Act
        const properties = props(template, "ScopeFailuresAlarm");
        const metrics = properties.Metrics as {
          Id: string;
          Expression: string;
          Period: unknown;
          ReturnData: boolean;
        }[];
        const query = SCOPE_QUERY.exec(metrics[0]?.Expression ?? "");

        // Assess
        expect(resource(template, "ScopeFailuresAlarm").Type).toBe("AWS::CloudWatch::Alarm");
        expect(metrics).toHaveLength(1);
        expect(query, metrics[0]?.Expression).not.toBeNull();
        // The metric and dimension the code emits (src/observability/metrics.ts), in the configured namespace, for
        // this service, one time series (contributor) per scope.
        expect(query?.slice(1)).toEqual([METRIC.scopeFailed, namespace, SCOPE_DIMENSION, SERVICE, SCOPE_DIMENSION]);
        expect(metrics[0]).toMatchObject({ ReturnData: true });
        expect(Number(metrics[0]?.Period)).toBe(
          rateSeconds(scheduleRuleOf(template, schedulerOf(template)).ScheduleExpression),
        );
        expect(properties.MetricName).toBeUndefined();
        expect(properties).toMatchObject({
          AlarmActions: [{ Ref: "AlarmTopic" }],
          OKActions: [{ Ref: "AlarmTopic" }],
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          // Emitted only on failure: silence is health.
          TreatMissingData: "notBreaching",
        });
      }
    });

    it("lets the email subscription select the default statuses, or a warning or digest by eventType", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const subscription = resource(template, "NotifyEmailSubscription");

      // Assess
      expect(subscription.Condition).toBe("HasNotifyEmail");
      expect(subscription.Properties?.FilterPolicyScope).toBe("MessageAttributes");
      expect(subscription.Properties?.FilterPolicy).toEqual({
        $or: [
          { status: ["Failed", "Expired", "PartiallyCompleted", "Stopped", "Completed"] },
          { eventType: ["JobWarning", "DailyDigest"] },
        ],
      });
    });

    it("keeps the email filter policy within SNS's limits even with every status selected", () => {
      // Prepare: the widest emailStatuses accepted, with the default eventType branch
      const policy = resource(defaults.template, "NotifyEmailSubscription").Properties?.FilterPolicy as {
        $or: Array<Record<string, string[]>>;
      };
      const widest = { $or: [{ status: [...KNOWN_STATUSES] }, ...policy.$or.slice(1)] };

      // Act
      const keys = new Set(widest.$or.flatMap((branch) => Object.keys(branch)));
      // Conservative: the product of every value array, which is at least SNS's own count for an $or.
      const combinations = widest.$or
        .flatMap((branch) => Object.values(branch))
        .reduce((product, values) => product * values.length, 1);

      // Assess: at most 5 keys and 150 combinations (Amazon SNS filter policy constraints); $or needs 2+ branches
      expect(widest.$or.length).toBeGreaterThanOrEqual(2);
      expect(keys.size).toBeLessThanOrEqual(5);
      expect(combinations).toBeLessThanOrEqual(150);
    });

    it("subscribes every notify function to the events topic without a filter policy, so warnings reach them all", () => {
      // Prepare
      const { template } = defaults;
      const subscriptions = ["Email", "Chat", "Slack", "Teams", "EventBridge"].map((channel) =>
        resource(template, `Notify${channel}EventsSubscription`),
      );

      // Act
      const filters = subscriptions.map((subscription) => subscription.Properties?.FilterPolicy);

      // Assess
      expect(subscriptions.every((subscription) => subscription.Properties?.Protocol === "lambda")).toBe(true);
      expect(filters).toEqual([undefined, undefined, undefined, undefined, undefined]);
    });

    it("creates the delivery table on demand, keyed and expiring as Powertools idempotency writes it, and deletes it with the stack", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const table = resource(template, "NotifyDeliveryTable");

      // Assess
      expect(table.Type).toBe("AWS::DynamoDB::Table");
      // Rows live a day and nothing else reads them: nothing worth keeping after the stack, or restoring.
      expect(table.DeletionPolicy).toBe("Delete");
      expect(table.UpdateReplacePolicy).toBe("Delete");
      expect(table.Properties).toEqual({
        BillingMode: "PAY_PER_REQUEST",
        // DynamoDBPersistenceLayer's default key attribute.
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        TimeToLiveSpecification: { AttributeName: PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS.expiryAttr, Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it("lets each people channel's role get, put, update and delete delivery records, on that table only", () => {
      // Prepare
      const { template } = defaults;
      const dynamodbStatements = (role: string) =>
        (props(template, role).Policies as { PolicyDocument: { Statement: Statement[] } }[])
          .flatMap((policy) => policy.PolicyDocument.Statement)
          .filter((statement) => statement.Action !== undefined)
          .filter((statement) => actionsOf(statement).some((action) => action.startsWith("dynamodb:")));

      for (const channel of PEOPLE_CHANNELS) {
        // Act
        const statements = dynamodbStatements(`Notify${channel}Role`);

        // Assess
        expect(statements, channel).toHaveLength(1);
        expect(actionsOf(statements[0] as Statement).sort()).toEqual([
          "dynamodb:DeleteItem",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
        ]);
        expect(statements[0]?.Resource).toEqual(getAtt("NotifyDeliveryTable"));
      }
      // The machine channel keeps no record (its consumers deduplicate by eventId), and no writer touches the table.
      expect(dynamodbStatements("NotifyEventBridgeRole")).toEqual([]);
      expect(JSON.stringify(lambdaStatements(template))).not.toContain("NotifyDeliveryTable");
    });

    it("tells each people function its delivery table and the 24 h TTL, and the EventBridge function neither", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const people = PEOPLE_CHANNELS.map((channel) => environmentOf(template, `Notify${channel}LambdaFunction`));
      const machine = environmentOf(template, "NotifyEventBridgeLambdaFunction");

      // Assess
      for (const env of people) {
        expect(env.DELIVERY_TABLE).toEqual({ Ref: "NotifyDeliveryTable" });
        expect(env.DELIVERY_TTL_HOURS).toBe("24");
      }
      expect(Object.keys(machine)).not.toContain("DELIVERY_TABLE");
    });

    it("runs the Slack and Teams functions one at a time, so one sandbox paces each webhook", () => {
      // Act
      const reserved = ["Email", "Chat", "Slack", "Teams", "EventBridge"].map(
        (channel) => props(defaults.template, `Notify${channel}LambdaFunction`).ReservedConcurrentExecutions,
      );

      // Assess
      expect(reserved).toEqual([undefined, undefined, 1, 1, undefined]);
    });

    it("subscribes no alarm email unless alarmEmail is given", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const subscription = resource(template, "AlarmEmailSubscription");

      // Assess
      expect(subscription.Condition).toBe("HasAlarmEmail");
      expect(template.Conditions?.HasAlarmEmail).toEqual({ "Fn::Not": [{ "Fn::Equals": ["", ""] }] });
    });

    it("outputs the events topic ARN, table name, DLQ URL, alarm topic ARN and what the member template needs", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const outputs = template.Outputs ?? {};

      // Assess
      expect(outputs.EventsTopicArn?.Value).toEqual({ Ref: "EventsTopic" });
      expect(outputs.SnapshotTableName?.Value).toEqual({ Ref: "SnapshotTable" });
      expect(outputs.PollDlqUrl?.Value).toEqual({ Ref: "PollDlq" });
      expect(outputs.AlarmTopicArn?.Value).toEqual({ Ref: "AlarmTopic" });
      expect(outputs.MemberTrustedRoleArns?.Value).toEqual({
        "Fn::Join": [",", [getAtt("IamRoleLambdaExecution"), getAtt("BedrockEventRole")]],
      });
      expect(outputs.CentralEventBusArn?.Value).toEqual({ "Fn::Sub": DEFAULT_BUS_ARN });
      expect(outputs.CentralAccountId?.Value).toEqual({ Ref: "AWS::AccountId" });
      expect(outputs.NotifierRegion?.Value).toEqual({ Ref: "AWS::Region" });
    });
  });

  describe("with --param overrides", () => {
    it("uses the given schedule, and the event age follows the given interval", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const rule = scheduleRuleOf(template);

      // Assess
      expect(rule.ScheduleExpression).toBe("rate(10 minutes)");
      expect(props(template, "PollLambdaEvConf").MaximumEventAgeInSeconds).toBe(600);
      // A CLI param arrives as a string; CloudFormation accepts "600" for an integer property.
      expect(Number(alarm(template, "PollStalledAlarm", "PollSucceeded").Period)).toBe(600);
    });

    it("passes firstRun to the writer functions and keeps logs for logRetentionDays", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const firstRuns = SINGLE_WRITERS.map((id) => environmentOf(template, id).FIRST_RUN);

      // Assess
      expect(firstRuns).toEqual(["notify", "notify"]);
      expect(props(template, "PollLogGroup").RetentionInDays).toBe(90);
    });

    it("applies the event batch params to onBedrockEvents' event source, and keeps the queue's visibility above the timeout", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const source = onlyEventSourceOf(template, "OnBedrockEventsLambdaFunction");
      const timeout = Number(props(template, "OnBedrockEventsLambdaFunction").Timeout);

      // Assess
      expect(source).toMatchObject({
        EventSourceArn: getAtt("BedrockEventQueue"),
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        BatchSize: 500,
        MaximumBatchingWindowInSeconds: 20,
        ScalingConfig: { MaximumConcurrency: 5 },
      });
      expect(timeout).toBe(90);
      expect(Number(props(template, "BedrockEventQueue").VisibilityTimeout)).toBeGreaterThanOrEqual(timeout);
    });

    it("limits GetModelInvocationJob to the deployment's region, and gives people channels the account aliases", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const channels = NOTIFY_FUNCTIONS.map((id) => environmentOf(template, id));

      // Assess
      expect(statementFor(template, "bedrock:GetModelInvocationJob").Resource).toEqual([
        { "Fn::Sub": jobsArn("eu-west-1") },
      ]);
      expect(environmentOf(template, "PollLambdaFunction").REGIONS).toBe("eu-west-1");
      for (const env of channels) expect(env.ACCOUNT_ALIASES).toBe("111111111111:prod,222222222222:staging team");
      for (const env of NOTIFY_FUNCTIONS.map((id) => environmentOf(defaults.template, id)))
        expect(env.ACCOUNT_ALIASES).toBe("");
    });

    it("subscribes notifyEmail to the email topic for the given statuses and digests, without warnings when emailWarnings=false", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const subscription = resource(template, "NotifyEmailSubscription");

      // Assess
      expect(subscription.Properties).toMatchObject({
        TopicArn: { Ref: "EmailTopic" },
        Protocol: "email",
        Endpoint: "team@example.com",
        FilterPolicy: { $or: [{ status: ["Failed", "Expired"] }, { eventType: ["DailyDigest"] }] },
      });
    });

    it("subscribes alarmEmail to the alarm topic", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const subscription = resource(template, "AlarmEmailSubscription");

      // Assess
      expect(template.Conditions?.HasAlarmEmail).toEqual({ "Fn::Not": [{ "Fn::Equals": ["ops@example.com", ""] }] });
      expect(subscription.Properties).toEqual({
        TopicArn: { Ref: "AlarmTopic" },
        Protocol: "email",
        Endpoint: "ops@example.com",
      });
    });

    it("refuses to package a firstRun that is neither baseline nor notify", () => {
      // Assess
      expect(badFirstRunOutput).toContain("FIRST_RUN");
    });

    it("refuses every bad param at once, naming each and what it accepts", () => {
      // Assess
      for (const expected of [
        "param emailStatuses must be a comma list, without spaces, of Submitted, Validating, Scheduled",
        'not " Expired", "Faild"',
        'param intervalMinutes must be a whole number from 1 to 480, got "0"',
        'param deepReconcileHours must be a whole number from 1 to 24, got "48"',
        'param lookbackMinutes must be a whole number from 1 to 10080, got "abc"',
        "param logRetentionDays must be one of 1, 3, 5, 7, 14, 30",
        'param slackAllowedHosts must be a comma list, without spaces, of host names or *.domain patterns; not "https://evil"',
        "param organizationId is only read with organization=true",
        'param emailWarnings must be true or false, got "yes"',
      ])
        expect(badParamsOutput).toContain(expected);
    });

    it("checks statuses against the same list the code knows", () => {
      // Assess
      expect(badParamsOutput).toContain(KNOWN_STATUSES.join(", "));
    });

    it("refuses the replaced schedule params, naming intervalMinutes, rather than ignoring them", () => {
      // Assess
      expect(oldScheduleAndEstateOutput).toContain("param schedule is no longer read: set intervalMinutes");
      expect(oldScheduleAndEstateOutput).toContain(
        "param scheduleIntervalSeconds is no longer read: set intervalMinutes",
      );
    });

    it("refuses bad estate params at once, naming each: regions, accounts, organization, aliases, batches, concurrency", () => {
      // Assess
      for (const expected of [
        'param regions must be a comma list, without spaces, of AWS regions such as us-east-1; not "EU-West-1"',
        'param regions lists "us-east-1" more than once',
        'param accounts must be a comma list, without spaces, of 12-digit account ids; not "12345"',
        'param accounts lists "111111111111" more than once',
        "param accounts must be empty when organization=true",
        `param organizationId must be the organization's id (o-...) when organization=true, got ""`,
        'param accountAliases must be a comma list of <12-digit account id>:<alias>; not "staging"',
        'param accountAliases names "111111111111" more than once',
        // More than 10 events per batch needs a batching window.
        'param eventBatchSize must be a whole number from 1 to 10, got "50"',
        // SQS event sources accept a maximum concurrency of 2 or more.
        'param pollConcurrency must be a whole number from 2 to 1000, got "1"',
      ])
        expect(oldScheduleAndEstateOutput).toContain(expected);
      // A well-formed entry is not reported with the bad ones.
      expect(oldScheduleAndEstateOutput).not.toContain('"111111111111:prod"');
    });
  });

  describe("with several scopes (2 accounts x 2 regions)", () => {
    it("fans the polls out: dispatch and pollScope instead of poll", () => {
      // Prepare
      const { template } = estate;

      // Act
      const present = (id: string) => template.Resources[id] !== undefined;

      // Assess
      for (const id of [...ESTATE_ONLY, "OnBedrockEventsLambdaFunction"]) expect(present(id), id).toBe(true);
      for (const id of SINGLE_ONLY) expect(present(id), id).toBe(false);
      expect(props(template, "PollScopeLambdaFunction")).toMatchObject({
        Handler: "handlers/poll-scope.handler",
        Role: getAtt("IamRoleLambdaExecution"),
        Timeout: 60,
      });
    });

    it("runs dispatch on the schedule, one at a time, without retries, under its own role", () => {
      // Prepare
      const { template } = estate;

      // Act
      const rule = scheduleRuleOf(template, "DispatchLambdaFunction");
      const invokeConfig = props(template, "DispatchLambdaEvConf");

      // Assess
      expect(rule.ScheduleExpression).toBe("rate(5 minutes)");
      expect(props(template, "DispatchLambdaFunction")).toMatchObject({
        Handler: "handlers/dispatch.handler",
        ReservedConcurrentExecutions: 1,
        Role: getAtt("DispatchRole"),
      });
      expect(invokeConfig).toMatchObject({
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: getAtt("PollDlq") } },
      });
      expect(invokeConfig.MaximumEventAgeInSeconds).toBeLessThanOrEqual(rateSeconds(rule.ScheduleExpression));
    });

    it("feeds pollScope one scope per invocation, at most pollConcurrency at once", () => {
      // Act
      const source = onlyEventSourceOf(estate.template, "PollScopeLambdaFunction");
      const fromParam = onlyEventSourceOf(organization.template, "PollScopeLambdaFunction");

      // Assess
      expect(source).toMatchObject({
        EventSourceArn: getAtt("ScopeQueue"),
        Enabled: true,
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: 10 },
      });
      expect(fromParam).toMatchObject({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 25 } });
    });

    it("keeps a scope message one interval, hidden from other workers while one polls it, sent by the dispatcher only", () => {
      // Prepare
      const { template } = estate;
      const interval = rateSeconds(scheduleRuleOf(template, "DispatchLambdaFunction").ScheduleExpression);

      // Act
      const queue = props(template, "ScopeQueue");
      const statements = policyStatements(template, "ScopeQueuePolicy");

      // Assess
      expect(queue.MessageRetentionPeriod).toBe(interval);
      expect(Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(
        Number(props(template, "PollScopeLambdaFunction").Timeout),
      );
      expect(props(template, "ScopeQueuePolicy").Queues).toEqual([{ Ref: "ScopeQueue" }]);
      expect(statements.filter((s) => s.Effect === "Allow")).toEqual([]);
      expect(statements.find((s) => s.Sid === "OnlyTheDispatcherSends")).toEqual({
        Sid: "OnlyTheDispatcherSends",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:SendMessage",
        Resource: getAtt("ScopeQueue"),
        Condition: { ArnNotEquals: { "aws:PrincipalArn": getAtt("DispatchRole") } },
      });
    });

    it("lets the dispatcher send only to the scope queue and its DLQ, and list no accounts", () => {
      // Prepare
      const { template } = estate;

      // Act
      const statements = roleStatements(template, "DispatchRole");

      // Assess
      expect(sqsGrants(statements)).toEqual({ "sqs:SendMessage": [getAtt("ScopeQueue"), getAtt("PollDlq")] });
      expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
      expect(statements.flatMap(actionsOf).sort()).toEqual([
        "kms:Decrypt",
        "kms:GenerateDataKey*",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:SendMessage",
        "sqs:SendMessage",
      ]);
      const kms = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("kms:")));
      expect(kms.map((s) => s.Resource)).toEqual([getAtt("EventsTopicKey")]);
      const logs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("logs:")));
      expect(JSON.stringify(logs.map((s) => s.Resource))).toContain(`/aws/lambda/${SERVICE}-dev-dispatch:*`);
      // pollScope reads the scope queue; no writer sends to it, and no writer reads the event queue but its own. The
      // digest (on the writers' role) sends its failures to PollDlq, as the dispatcher does.
      expect(sqsGrants(lambdaStatements(template))).toEqual({
        ...Object.fromEntries(SQS_CONSUME.map((action) => [action, [getAtt("ScopeQueue")]])),
        "sqs:SendMessage": [getAtt("PollDlq")],
      });
    });

    it("lets the writer roles assume exactly the listed accounts' reader roles", () => {
      // Prepare
      const { template } = estate;

      // Act
      const policy = resource(template, "AssumeMemberReaderRoles");
      const statements = policyStatements(template, "AssumeMemberReaderRoles");

      // Assess
      expect(policy.Type).toBe("AWS::IAM::Policy");
      expect(policy.Condition).toBe("ReadsOtherAccounts");
      expect(conditionValue(template, "ReadsOtherAccounts")).toBe(true);
      expect(policy.Properties?.Roles).toEqual([{ Ref: "IamRoleLambdaExecution" }, { Ref: "BedrockEventRole" }]);
      expect(statements).toEqual([
        {
          Sid: "AssumeMemberReaderRoles",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: ESTATE_ACCOUNTS.map((account) => ({ "Fn::Sub": readerRoleArn(account, DEFAULT_READER_ROLE) })),
        },
      ]);
    });

    it("accepts the listed accounts' forwarded events on the default bus, and no one else's", () => {
      // Prepare
      const { template } = estate;

      // Act
      const policy = resource(template, "CentralBusAcceptsMemberEvents");

      // Assess
      expect(policy.Type).toBe("AWS::Events::EventBusPolicy");
      expect(policy.Condition).toBe("ReadsOtherAccounts");
      expect(policy.Properties?.EventBusName).toBeUndefined();
      expect(policy.Properties?.Statement).toEqual({
        Effect: "Allow",
        Principal: { AWS: ESTATE_ACCOUNTS.map((account) => ({ "Fn::Sub": rootArn(account) })) },
        Action: "events:PutEvents",
        Resource: { "Fn::Sub": DEFAULT_BUS_ARN },
      });
    });

    it("tells the writers the regions, the accounts and the scope queue, and lets them read this account's jobs in each region", () => {
      // Prepare
      const { template } = estate;

      for (const id of ESTATE_WRITERS) {
        // Act
        const env = environmentOf(template, id);

        // Assess
        expect(Object.keys(env).sort(), id).toEqual(FUNCTION_ENV_KEYS);
        expect(env, id).toMatchObject({
          REGIONS: ESTATE_REGIONS.join(","),
          ACCOUNTS: ESTATE_ACCOUNTS.join(","),
          ORGANIZATION: "false",
          MEMBER_ROLE_NAME: DEFAULT_READER_ROLE,
          SCOPE_QUEUE_URL: { Ref: "ScopeQueue" },
        });
      }
      for (const statements of [lambdaStatements(template), roleStatements(template, "BedrockEventRole")]) {
        const getJob = statements.filter((s) => actionsOf(s).includes("bedrock:GetModelInvocationJob"));
        expect(getJob.map((s) => s.Resource)).toEqual([
          ESTATE_REGIONS.map((region) => ({ "Fn::Sub": jobsArn(region) })),
        ]);
      }
    });

    it("alarms on dispatch errors, pollScope errors and a non-empty dispatch DLQ", () => {
      // Prepare
      const { template } = estate;
      const toAlarmTopic = { AlarmActions: [{ Ref: "AlarmTopic" }] };

      // Act
      const dispatchErrors = alarm(template, "DispatchErrorsAlarm", "Errors");
      const workerErrors = alarm(template, "PollScopeErrorsAlarm", "Errors");
      const dlq = alarm(template, "PollDlqNotEmptyAlarm", "ApproximateNumberOfMessagesVisible");

      // Assess
      for (const [errors, fn] of [
        [dispatchErrors, "DispatchLambdaFunction"],
        [workerErrors, "PollScopeLambdaFunction"],
      ] as const) {
        expect(errors).toMatchObject({
          ...toAlarmTopic,
          Namespace: "AWS/Lambda",
          Dimensions: [{ Name: "FunctionName", Value: { Ref: fn } }],
          Statistic: "Sum",
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        });
      }
      expect(dlq).toMatchObject({
        ...toAlarmTopic,
        Namespace: "AWS/SQS",
        Dimensions: [{ Name: "QueueName", Value: getAtt("PollDlq", "QueueName") }],
      });
      alarm(template, "PollStalledAlarm", "PollSucceeded");
    });

    it("outputs what the member template needs; MemberTrustedRoleArns names exactly the two writer roles it must trust", () => {
      // Prepare
      const { template } = estate;
      const outputs = template.Outputs ?? {};
      const member = readCfnYaml(join(repoRoot, "templates", "member-account.yml"));
      const memberParameters = member.Parameters as Record<string, { Type: string }>;
      // The central roles as they would be deployed: each GetAtt of a role's Arn becomes that role's ARN.
      const trusted = outputs.MemberTrustedRoleArns?.Value as { "Fn::Join": [string, { "Fn::GetAtt": string[] }[]] };
      const [separator, parts] = trusted["Fn::Join"];
      const roleIds = parts.map((part) => part["Fn::GetAtt"][0] ?? "");
      const roleArns = roleIds.map((id) => `arn:aws:iam::${ESTATE_ACCOUNTS[0]}:role/${id}`);

      // Act
      const rendered = renderInstance(member, {
        accountId: ESTATE_ACCOUNTS[1] ?? "",
        region: "us-east-1",
        parameters: {
          CentralAccountId: ESTATE_ACCOUNTS[0] ?? "",
          NotifierRegion: "us-east-1",
          NotifierRoleArns: roleArns.join(separator),
        },
      });
      const readerRole = rendered.resources.ReaderRole?.Properties ?? {};
      const trust = (readerRole.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;

      // Assess
      for (const name of ["MemberTrustedRoleArns", "CentralEventBusArn", "CentralAccountId", "NotifierRegion"])
        expect(outputs[name], name).toBeDefined();
      // The member template's parameters carry the outputs' names; the role list is a comma-delimited list.
      expect(Object.keys(memberParameters)).toEqual(
        expect.arrayContaining(["CentralAccountId", "NotifierRegion", "NotifierRoleArns"]),
      );
      expect(memberParameters.NotifierRoleArns?.Type).toBe("CommaDelimitedList");
      expect(separator).toBe(",");
      for (const part of parts) expect(part["Fn::GetAtt"][1]).toBe("Arn");
      // Exactly the writer roles: the ones that may assume reader roles, and the only ones that publish events.
      expect(roleIds).toEqual(["IamRoleLambdaExecution", "BedrockEventRole"]);
      expect(props(template, "AssumeMemberReaderRoles").Roles).toEqual(roleIds.map((id) => ({ Ref: id })));
      expect(trust.flatMap((s) => [(s.Principal as { AWS: unknown }).AWS].flat())).toEqual(roleArns);
    });
  });

  describe("with organization=true", () => {
    it("lets the dispatcher list the organization's accounts", () => {
      // Prepare
      const { template } = organization;

      // Act
      const statements = roleStatements(template, "DispatchRole");
      const listing = statements.filter((s) => actionsOf(s).includes("organizations:ListAccounts"));

      // Assess
      expect(conditionValue(template, "ReadsTheOrganization")).toBe(true);
      expect(listing).toEqual([
        { Sid: "OrganizationAccounts", Effect: "Allow", Action: "organizations:ListAccounts", Resource: "*" },
      ]);
      // Nothing else of Organizations; and only with organization=true.
      expect(statements.flatMap(actionsOf).filter((a) => a.startsWith("organizations:"))).toEqual([
        "organizations:ListAccounts",
      ]);
      expect(roleStatements(estate.template, "DispatchRole").flatMap(actionsOf)).not.toContain(
        "organizations:ListAccounts",
      );
      expect(environmentOf(template, "DispatchLambdaFunction")).toMatchObject({ ORGANIZATION: "true", ACCOUNTS: "" });
    });

    it("accepts forwarded events from any principal of the organization only", () => {
      // Prepare
      const { template } = organization;

      // Act
      const policy = resource(template, "CentralBusAcceptsMemberEvents");

      // Assess
      expect(conditionValue(template, "ReadsOtherAccounts")).toBe(true);
      expect(policy.Properties?.Statement).toEqual({
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: { "Fn::Sub": DEFAULT_BUS_ARN },
        Condition: { StringEquals: { "aws:PrincipalOrgID": ORGANIZATION_ID } },
      });
    });

    it("lets the writer roles assume the reader role (memberRoleName) in any account of the organization only", () => {
      // Prepare
      const { template } = organization;

      // Act
      const statements = policyStatements(template, "AssumeMemberReaderRoles");

      // Assess
      expect(props(template, "AssumeMemberReaderRoles").Roles).toEqual([
        { Ref: "IamRoleLambdaExecution" },
        { Ref: "BedrockEventRole" },
      ]);
      expect(statements).toEqual([
        {
          Sid: "AssumeMemberReaderRoles",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: [{ "Fn::Sub": readerRoleArn("*", ORG_READER_ROLE) }],
          Condition: { StringEquals: { "aws:ResourceOrgID": ORGANIZATION_ID } },
        },
      ]);
      expect(environmentOf(template, "PollScopeLambdaFunction").MEMBER_ROLE_NAME).toBe(ORG_READER_ROLE);
    });
  });

  describe("with routesFile=notifier.routes.example.yml", () => {
    /** The example's routes of one type, as the file lists them. */
    const exampleRoutes = (type: string) =>
      (
        parseYaml(readFileSync(join(repoRoot, "notifier.routes.example.yml"), "utf8")) as {
          routes: { name: string; type: string; filter?: RouteFilter; [target: string]: unknown }[];
        }
      ).routes.filter((route) => route.type === type);
    const logicalIdOf = (name: string) =>
      name
        .split("-")
        .map((part) => (part[0]?.toUpperCase() ?? "") + part.slice(1))
        .join("");
    const parameterArn = (name: string) =>
      `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`;

    it("subscribes each SNS-filtered email route to the email topic with its compiled filter policy", () => {
      // Prepare
      const { template } = routed;

      // Act
      const lead = props(template, "EmailRouteLeadMailSubscription");
      const nightly = props(template, "EmailRouteNightlyMailSubscription");

      // Assess
      expect(lead).toMatchObject({ TopicArn: { Ref: "EmailTopic" }, Protocol: "email", Endpoint: "lead@example.com" });
      expect(lead.FilterPolicyScope).toBe("MessageAttributes");
      expect(lead.FilterPolicy).toEqual({
        $or: [
          {
            eventType: ["JobDiscovered", "JobStatusChanged"],
            status: ["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"],
          },
          { eventType: ["JobWarning", "DailyDigest"] },
        ],
      });
      expect(nightly).toMatchObject({ TopicArn: { Ref: "EmailTopic" }, Endpoint: "data-team@example.com" });
      expect(nightly.FilterPolicy).toEqual({
        $or: [
          {
            eventType: ["JobDiscovered", "JobStatusChanged"],
            status: ["Failed", "Expired"],
            jobName: [{ prefix: "nightly-" }],
          },
          {
            eventType: ["JobWarning"],
            warningKind: ["ExpiryApproaching", "MayNotFinish"],
            jobName: [{ prefix: "nightly-" }],
          },
        ],
      });
      // The simple param's subscription stays off.
      expect(conditionValue(template, "HasNotifyEmail")).toBe(false);
    });

    it.each([
      ["Slack", "slack"],
      ["Teams", "teams"],
    ])(
      "gives the %s function its routes (names, parameter NAMES, filters; never a URL) in WEBHOOK_ROUTES",
      (id, type) => {
        // Prepare
        const { template } = routed;
        const expected = exampleRoutes(type).map((route) => ({
          name: route.name,
          target: route.webhookParameter,
          filter: route.filter ?? DEFAULT_PEOPLE_FILTER,
        }));

        // Act
        const environment = environmentOf(template, `Notify${id}LambdaFunction`);

        // Assess
        expect(conditionValue(template, `Has${id}Webhook`)).toBe(true);
        expect(JSON.parse(String(environment.WEBHOOK_ROUTES))).toEqual(expected);
        expect(environment.WEBHOOK_URL_PARAMETER).toBe("");
        expect(JSON.stringify(environment)).not.toMatch(/https?:/);
      },
    );

    it.each([
      ["Slack", "slack"],
      ["Teams", "teams"],
    ])("lets the %s function read exactly its routes' parameters (and the secrets behind them)", (id, type) => {
      // Prepare
      const statements = roleStatements(routed.template, `Notify${id}Role`);
      const names = exampleRoutes(type).map((route) => String(route.webhookParameter));
      const secrets = names
        .filter((name) => name.startsWith("/aws/reference/secretsmanager/"))
        .map((name) => ({
          "Fn::Sub": `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${name.slice(30)}-??????`,
        }));

      // Act
      const read = statements.filter((s) => actionsOf(s).includes("ssm:GetParameter"));
      const secret = statements.filter((s) => actionsOf(s).includes("secretsmanager:GetSecretValue"));

      // Assess
      expect(read).toHaveLength(1);
      expect(read[0]?.Resource).toEqual(names.map((name) => ({ "Fn::Sub": parameterArn(name) })));
      expect(secret).toHaveLength(1);
      if (secrets.length > 0) expect(secret[0]).toMatchObject({ Effect: "Allow", Resource: secrets });
      else expect(secret[0]).toMatchObject({ Effect: "Deny", Resource: "*" });
    });

    it("gives the EventBridge function its routes (names, buses, filters) and PutEvents on exactly those buses", () => {
      // Prepare
      const { template } = routed;
      const expected = exampleRoutes("eventbridge").map((route) => ({
        name: route.name,
        target: route.bus,
        filter: route.filter ?? {},
      }));
      const busArns = expected.map(({ target }) =>
        String(target).startsWith("arn:")
          ? target
          : { "Fn::Sub": `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${target}` },
      );

      // Act
      const environment = environmentOf(template, "NotifyEventBridgeLambdaFunction");
      const put = roleStatements(template, "NotifyEventBridgeRole").filter((s) =>
        actionsOf(s).some((action) => action.startsWith("events:")),
      );

      // Assess
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect(conditionValue(template, "HasEventBus")).toBe(true);
      expect(JSON.parse(String(environment.EVENTBRIDGE_ROUTES))).toEqual(expected);
      expect(environment.EVENT_BUS_NAME).toBe("");
      expect(put).toEqual([{ Sid: "PutOnBus", Effect: "Allow", Action: "events:PutEvents", Resource: busArns }]);
    });

    it("gives each chat route a topic of its own (customer key, TLS only, ARN output) for Amazon Q to subscribe to", () => {
      // Prepare
      const { template } = routed;
      const ids = exampleRoutes("chat").map((route) => `ChatRoute${logicalIdOf(route.name)}Topic`);

      // Act
      const topics = ids.map((id) => resource(template, id));
      const tlsOnly = ofType(template, "AWS::SNS::TopicPolicy").filter(([, policy]) =>
        ids.every((id) => JSON.stringify(policy.Properties?.Topics).includes(`"${id}"`)),
      );

      // Assess
      expect(ids.length).toBeGreaterThanOrEqual(1);
      for (const topic of topics) {
        expect(topic.Type).toBe("AWS::SNS::Topic");
        expect(topic.Properties?.KmsMasterKeyId).toEqual({ Ref: "EventsTopicKey" });
      }
      expect(tlsOnly).toHaveLength(1);
      for (const id of ids) expect(template.Outputs?.[`${id}Arn`]?.Value).toEqual({ Ref: id });
    });

    it("gives the chat function its chat routes (names, topic ARNs, filters) and sns:Publish on exactly their topics", () => {
      // Prepare
      const { template } = routed;
      const expected = exampleRoutes("chat").map((route) => ({
        name: route.name,
        target: `<ChatRoute${logicalIdOf(route.name)}Topic>`,
        filter: route.filter ?? DEFAULT_PEOPLE_FILTER,
      }));

      // Act: the Fn::Join with each Ref written as <LogicalId>.
      const joined = environmentOf(template, "NotifyChatLambdaFunction").CHAT_ROUTES as {
        "Fn::Join": [string, unknown[]];
      };
      const text = joined["Fn::Join"][1]
        .map((part) => (typeof part === "string" ? part : `<${(part as { Ref: string }).Ref}>`))
        .join(joined["Fn::Join"][0]);
      const publish = roleStatements(template, "NotifyChatRole").filter((s) => actionsOf(s).includes("sns:Publish"));

      // Assess
      expect(JSON.parse(text)).toEqual(expected);
      expect(publish).toHaveLength(1);
      expect(publish[0]?.Resource).toEqual(expected.map(({ target }) => ({ Ref: target.slice(1, -1) })));
    });

    it("sends an email route SNS cannot filter to a topic of its own, subscribed without a filter policy, fed by the email function", () => {
      // Prepare
      const { template } = routed;
      const inCode = exampleRoutes("email").filter((route) =>
        (route.filter?.jobNames ?? []).some((name) => /[*?]/.test(name.slice(0, -1))),
      );
      const ids = inCode.map((route) => `EmailRoute${logicalIdOf(route.name)}Topic`);

      // Act
      const subscriptions = ids.map((id) => props(template, id.replace(/Topic$/, "Subscription")));
      const joined = environmentOf(template, "NotifyEmailLambdaFunction").EMAIL_ROUTES as {
        "Fn::Join": [string, unknown[]];
      };
      const text = joined["Fn::Join"][1]
        .map((part) => (typeof part === "string" ? part : `<${(part as { Ref: string }).Ref}>`))
        .join(joined["Fn::Join"][0]);
      const publish = roleStatements(template, "NotifyEmailRole").filter((s) => actionsOf(s).includes("sns:Publish"));

      // Assess
      expect(ids.length).toBeGreaterThanOrEqual(1);
      for (const [index, id] of ids.entries()) {
        expect(resource(template, id)).toMatchObject({
          Type: "AWS::SNS::Topic",
          Properties: { KmsMasterKeyId: { Ref: "EventsTopicKey" } },
        });
        expect(subscriptions[index]).toEqual({
          TopicArn: { Ref: id },
          Protocol: "email",
          Endpoint: inCode[index]?.address,
        });
      }
      expect(JSON.parse(text)).toEqual(
        inCode.map((route, index) => ({ name: route.name, target: `<${ids[index]}>`, filter: route.filter })),
      );
      expect(publish).toHaveLength(1);
      expect(publish[0]?.Resource).toEqual([{ Ref: "EmailTopic" }, ...ids.map((id) => ({ Ref: id }))]);
      expect(routed.output).toContain(`route "${inCode[0]?.name}" (email): filtered in code by the email function`);
    });

    it("prints, per route, whether SNS or code filters it", () => {
      for (const route of [
        "prod-failures",
        "staging",
        "lead-mail",
        "nightly-mail",
        "ml-platform",
        "pipelines",
        "audit",
      ])
        expect(routed.output).toContain(`route "${route}"`);
      expect(routed.output).toContain('route "lead-mail" (email): filtered by SNS (subscription filter policy)');
    });
  });

  describe("bundles", () => {
    it("bundles each function into its own zip of at most 300 KB, in either topology", () => {
      for (const { template, zipBytes } of [defaults, estate]) {
        // Act
        const sizes = Object.entries(zipBytes);
        console.info(`zip sizes: ${sizes.map(([file, bytes]) => `${file} ${bytes} bytes`).join(", ")}`);

        // Assess
        // One zip per function of the template (the conditional channels' too), and nothing else.
        expect(Object.keys(zipBytes).sort()).toEqual(zipsOf(template));
        for (const [file, bytes] of sizes) expect(bytes, file).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
      }
      expect(Object.keys(defaults.zipBytes)).toEqual(expect.arrayContaining(["poll.zip", "onBedrockEvents.zip"]));
      expect(Object.keys(estate.zipBytes)).toEqual(
        expect.arrayContaining(["dispatch.zip", "pollScope.zip", "onBedrockEvents.zip"]),
      );
    });
  });
});
