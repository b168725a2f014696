import { attributesOf } from "./message-attributes";
import type { NotifierEvent } from "./notifier-event";
import { KNOWN_STATUSES, severityOf } from "./status";
import { WARNING_KINDS } from "./warnings";

/**
 * One filter model for every destination of a routes file (docs/channels.md, "Routes"), applied two ways: in code by
 * `matches` (webhook, chat and EventBridge functions, and email routes SNS cannot express), and by SNS itself through
 * the subscription filter policy `toSnsFilterPolicy` compiles it to. Both read the same thing, the event's SNS message
 * attributes (src/domain/message-attributes.ts), so they agree by construction; test/notify/route-parity.integration
 * .test.ts checks it on 200 events through fauxqs.
 *
 * Semantics, precisely:
 * 1. The filter's event types are `eventTypes` when given. Otherwise `statuses` selects transitions and `warningKinds`
 *    selects warnings (both: both); with neither, every type (transition, warning, digest).
 * 2. An event of another type never matches.
 * 3. Every other field given must match (AND between fields); within a field any value may (OR). A field that does not
 *    apply to the event's type is ignored for it: `statuses` applies to transitions, `warningKinds` to warnings,
 *    `severities` to all three, and `jobNames`, `modelIds`, `accounts`, `regions` to transitions and warnings (the
 *    digest is about every job, and carries none of them).
 * 4. An event that lacks the attribute a field needs (a job ARN that named no account or region) does not match it.
 * 5. `jobNames` are patterns: exact, `prefix*`, or a glob with `*` (any run) and `?` (one character); the others are
 *    exact, case-sensitive values.
 */

export const ROUTE_EVENT_TYPES = ["transition", "warning", "digest"] as const;
export type RouteEventType = (typeof ROUTE_EVENT_TYPES)[number];

export const SEVERITIES = ["error", "warning", "info"] as const;

export interface RouteFilter {
  eventTypes?: readonly RouteEventType[];
  statuses?: readonly string[];
  severities?: readonly string[];
  warningKinds?: readonly string[];
  jobNames?: readonly string[];
  modelIds?: readonly string[];
  accounts?: readonly string[];
  regions?: readonly string[];
}

export type RouteFilterField = Exclude<keyof RouteFilter, "eventTypes">;

const JOB_TYPES: readonly RouteEventType[] = ["transition", "warning"];

/** Each field: the message attribute it reads, and the event types it applies to. */
export const FILTER_FIELDS: Readonly<
  Record<RouteFilterField, { attribute: string; appliesTo: readonly RouteEventType[] }>
> = {
  statuses: { attribute: "status", appliesTo: ["transition"] },
  warningKinds: { attribute: "warningKind", appliesTo: ["warning"] },
  severities: { attribute: "severity", appliesTo: ROUTE_EVENT_TYPES },
  jobNames: { attribute: "jobName", appliesTo: JOB_TYPES },
  modelIds: { attribute: "modelId", appliesTo: JOB_TYPES },
  accounts: { attribute: "accountId", appliesTo: JOB_TYPES },
  regions: { attribute: "region", appliesTo: JOB_TYPES },
};
const FIELD_NAMES = Object.keys(FILTER_FIELDS) as RouteFilterField[];

/** The `eventType` attribute values of each event type. */
export const EVENT_TYPE_VALUES: Readonly<Record<RouteEventType, readonly string[]>> = {
  transition: ["JobDiscovered", "JobStatusChanged"],
  warning: ["JobWarning"],
  digest: ["DailyDigest"],
};

/** The people channels' filter when a route names none: terminal statuses, every warning, and the digest. */
export const DEFAULT_PEOPLE_FILTER: RouteFilter = Object.freeze({
  eventTypes: ["transition", "warning", "digest"] as RouteEventType[],
  statuses: ["Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"],
});

/** Rule 1: the event types a filter selects. */
export function selectedTypes(filter: RouteFilter): readonly RouteEventType[] {
  if (filter.eventTypes) return ROUTE_EVENT_TYPES.filter((type) => filter.eventTypes?.includes(type));
  const implied = [
    ...(filter.statuses ? (["transition"] as const) : []),
    ...(filter.warningKinds ? (["warning"] as const) : []),
  ];
  return implied.length > 0 ? implied : ROUTE_EVENT_TYPES;
}

function typeOf(eventType: string | undefined): RouteEventType | undefined {
  return ROUTE_EVENT_TYPES.find((type) => eventType !== undefined && EVENT_TYPE_VALUES[type].includes(eventType));
}

const GLOB = /[*?]/;

/** A job-name pattern as a regular expression: `*` any run of characters, `?` exactly one. */
function globRegExp(pattern: string): RegExp {
  const body = pattern
    .split("")
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "s");
}

function valueMatches(field: RouteFilterField, wanted: string, value: string): boolean {
  if (field === "jobNames" && GLOB.test(wanted)) return globRegExp(wanted).test(value);
  return wanted === value;
}

/** Whether an event with these SNS message attributes passes the filter (rules 1 to 5). */
export function matchesAttributes(filter: RouteFilter, attributes: Readonly<Record<string, string>>): boolean {
  const type = typeOf(attributes.eventType);
  if (type === undefined || !selectedTypes(filter).includes(type)) return false;
  return FIELD_NAMES.every((field) => {
    const wanted = filter[field];
    if (wanted === undefined || !FILTER_FIELDS[field].appliesTo.includes(type)) return true;
    const value = attributes[FILTER_FIELDS[field].attribute];
    return value !== undefined && wanted.some((candidate) => valueMatches(field, candidate, value));
  });
}

/** Whether the event passes the filter: the same answer SNS gives with the compiled policy. */
export function matches(filter: RouteFilter, event: NotifierEvent): boolean {
  return matchesAttributes(filter, attributesOf(event));
}

/** SNS's limits on a filter policy (docs: subscription-filter-policy-constraints). */
export const SNS_POLICY_LIMITS = Object.freeze({ keys: 5, combinations: 150 });

export type SnsFilterPolicy = Record<string, unknown>;
export type Compiled = { ok: true; policy: SnsFilterPolicy } | { ok: false; reason: string };

/**
 * The filter as an SNS subscription filter policy (attribute scope), or why SNS cannot apply it; the destination then
 * filters in code. One `$or` branch per selected event type (branches with identical conditions merged), each with
 * `eventType` and the fields that apply to that type. Counted conservatively: distinct keys over the whole policy
 * (at most 5), and combinations summed over the branches, each the product of its arrays' lengths (at most 150).
 */
export function toSnsFilterPolicy(filter: RouteFilter): Compiled {
  const branches: { types: string[]; conditions: Record<string, unknown[]> }[] = [];
  for (const type of selectedTypes(filter)) {
    const conditions: Record<string, unknown[]> = {};
    for (const field of FIELD_NAMES) {
      const wanted = filter[field];
      if (wanted === undefined || !FILTER_FIELDS[field].appliesTo.includes(type)) continue;
      if (wanted.length === 0) return { ok: false, reason: `${field} is empty (it matches nothing)` };
      const values: unknown[] = [];
      for (const value of wanted) {
        const compiled = snsValue(field, value);
        if ("reason" in compiled) return { ok: false, reason: compiled.reason };
        values.push(compiled.value);
      }
      conditions[FILTER_FIELDS[field].attribute] = values;
    }
    const same = branches.find((branch) => JSON.stringify(branch.conditions) === JSON.stringify(conditions));
    if (same) same.types.push(...EVENT_TYPE_VALUES[type]);
    else branches.push({ types: [...EVENT_TYPE_VALUES[type]], conditions });
  }
  if (branches.length === 0) return { ok: false, reason: "eventTypes is empty (it matches nothing)" };
  const objects = branches.map((branch) => ({ eventType: branch.types, ...branch.conditions }));
  const keys = new Set(objects.flatMap((object) => Object.keys(object)));
  if (keys.size > SNS_POLICY_LIMITS.keys)
    return {
      ok: false,
      reason: `it needs ${keys.size} attributes (${[...keys].join(", ")}); SNS allows ${SNS_POLICY_LIMITS.keys}`,
    };
  const combinations = objects
    .map((object) => Object.values(object).reduce((product, values) => product * values.length, 1))
    .reduce((sum, n) => sum + n, 0);
  if (combinations > SNS_POLICY_LIMITS.combinations)
    return {
      ok: false,
      reason: `it has ${combinations} value combinations; SNS allows ${SNS_POLICY_LIMITS.combinations}`,
    };
  return { ok: true, policy: objects.length === 1 ? (objects[0] as SnsFilterPolicy) : { $or: objects } };
}

function snsValue(field: RouteFilterField, value: string): { value: unknown } | { reason: string } {
  if (field !== "jobNames" || !GLOB.test(value)) return { value };
  const prefix = value.slice(0, -1);
  if (value.endsWith("*") && prefix !== "" && !GLOB.test(prefix)) return { value: { prefix } };
  return { reason: `jobNames pattern "${value}" is a glob; SNS matches exact names and prefixes (name*) only` };
}

/**
 * Whether any event at all can pass the filter. Decided over every combination that exists (each status with its
 * severity, each warning kind with severity warning, the digest with each severity), with the job fields set to a
 * value each given pattern accepts; an empty list matches nothing.
 */
export function canMatch(filter: RouteFilter): boolean {
  const job: Record<string, string> = {};
  for (const field of ["jobNames", "modelIds", "accounts", "regions"] as const) {
    const first = filter[field]?.[0];
    job[FILTER_FIELDS[field].attribute] = first === undefined ? "x" : first.replace(/\*/g, "").replace(/\?/g, "x");
  }
  const samples: Record<string, string>[] = [
    ...KNOWN_STATUSES.map((status) => ({
      eventType: "JobStatusChanged",
      status,
      severity: severityOf(status),
      ...job,
    })),
    ...WARNING_KINDS.map((warningKind) => ({ eventType: "JobWarning", warningKind, severity: "warning", ...job })),
    ...SEVERITIES.map((severity) => ({ eventType: "DailyDigest", severity })),
  ];
  return samples.some((attributes) => matchesAttributes(filter, attributes));
}
