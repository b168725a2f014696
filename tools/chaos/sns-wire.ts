import { randomUUID } from "node:crypto";

/**
 * SNS speaks awsQuery: form-encoded requests, XML answers. These helpers take a PublishBatch apart and put its
 * answer back together the way SNS writes it, so a fault can fail chosen entries inside an HTTP 200.
 */
const NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
const ENTRY = /^PublishBatchRequestEntries\.member\.(\d+)\.(.+)$/;

export interface FailedEntry {
  id: string;
  code: string;
  message: string;
  senderFault: boolean;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The entry ids of a PublishBatch form body, in member order. */
export function batchEntryIds(body: Buffer): string[] {
  const form = new URLSearchParams(body.toString("utf8"));
  const ids: Array<[number, string]> = [];
  for (const [key, value] of form) {
    const match = ENTRY.exec(key);
    if (match?.[2] === "Id") ids.push([Number(match[1]), value]);
  }
  return ids.sort(([a], [b]) => a - b).map(([, id]) => id);
}

/** The same PublishBatch without the entries whose ids are in `drop`, the rest renumbered from 1 as SNS expects. */
export function withoutEntries(body: Buffer, drop: ReadonlySet<string>): Buffer {
  const form = new URLSearchParams(body.toString("utf8"));
  const members = new Map<number, Array<[string, string]>>();
  const rest = new URLSearchParams();
  for (const [key, value] of form) {
    const match = ENTRY.exec(key);
    if (!match) {
      rest.append(key, value);
      continue;
    }
    const index = Number(match[1]);
    members.set(index, [...(members.get(index) ?? []), [match[2] as string, value]]);
  }
  let next = 1;
  for (const index of [...members.keys()].sort((a, b) => a - b)) {
    const fields = members.get(index) ?? [];
    const id = fields.find(([name]) => name === "Id")?.[1];
    if (id !== undefined && drop.has(id)) continue;
    for (const [name, value] of fields) rest.append(`PublishBatchRequestEntries.member.${next}.${name}`, value);
    next++;
  }
  return Buffer.from(rest.toString(), "utf8");
}

function failedMembers(failed: readonly FailedEntry[]): string {
  return failed
    .map(
      (entry) =>
        `<member><Id>${escapeXml(entry.id)}</Id><Code>${escapeXml(entry.code)}</Code>` +
        `<Message>${escapeXml(entry.message)}</Message><SenderFault>${entry.senderFault}</SenderFault></member>`,
    )
    .join("");
}

/** Adds failed entries to a PublishBatch answer, next to the ones SNS accepted. */
export function withFailedEntries(xml: string, failed: readonly FailedEntry[]): string {
  const members = failedMembers(failed);
  if (/<Failed\s*\/>/.test(xml)) return xml.replace(/<Failed\s*\/>/, `<Failed>${members}</Failed>`);
  if (xml.includes("</Failed>")) return xml.replace("</Failed>", `${members}</Failed>`);
  return xml.replace("</PublishBatchResult>", `<Failed>${members}</Failed></PublishBatchResult>`);
}

/** A PublishBatch answer in which every entry failed (nothing was forwarded, yet SNS answers 200). */
export function allFailedResponse(failed: readonly FailedEntry[]): string {
  return (
    `<PublishBatchResponse xmlns="${NAMESPACE}"><PublishBatchResult><Successful/>` +
    `<Failed>${failedMembers(failed)}</Failed></PublishBatchResult>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishBatchResponse>`
  );
}

/** An awsQuery error document, as SNS sends it for a failed call. */
export function errorResponse(type: "Sender" | "Receiver", code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
