import { type RenderFormat, renderFor } from "../../src/domain/render";
import { CASES, DIGEST_CASES, GOLDEN_ACCOUNT_ALIASES } from "../samples/events";

/** Whatever `renderFor` renders: when it accepts early warnings and digests, so does the gallery, unchanged. */
export type GalleryEvent = Parameters<typeof renderFor>[1];

export interface GalleryCase {
  /** The second half of every file name: `docs/gallery/<channel>-<id>.png`. Never rename: the README links them. */
  id: string;
  /** What the index calls the case. */
  title: string;
  event: GalleryEvent;
  /** The golden files' name for the same event (`test/golden/<golden>.<format>.*`), when it has them. */
  golden?: string;
}

/** A case drawn from a sample event the golden tests also render: the picture shows what the golden file holds. */
function fromSample(id: string, title: string, name: string): GalleryCase {
  const event = CASES[name];
  if (event === undefined) throw new Error(`no sample event named ${name} in tools/samples/events`);
  return { id, title, event, golden: name };
}

/**
 * Every case the gallery draws, in the order the index lists them. Adding one is one entry here (an early
 * warning, a grouped burst, the daily digest) once `renderFor` renders its event.
 */
export const GALLERY_CASES: readonly GalleryCase[] = [
  fromSample("failure", "Failed, with its reason", "failed"),
  fromSample("expiry", "Expired before it started", "expired"),
  fromSample("partial", "Partially completed (15 of 1,000 records failed)", "partially-completed"),
  fromSample("completion", "Completed", "completed"),
  fromSample("stopped", "Stopped", "stopped"),
  fromSample("warning-expiry", "Early warning: expiry approaching", "warning-expiry-approaching"),
  fromSample("warning-error-rate", "Early warning: high error rate", "warning-high-error-rate"),
  {
    id: "digest",
    title: "Daily digest (four scopes, one unreadable)",
    event: DIGEST_CASES.digest as GalleryEvent,
    golden: "digest",
  },
];

/** The people channels, by the name their files carry, and the format `renderFor` renders each in. */
export const GALLERY_CHANNELS = [
  { id: "slack", title: "Slack (Block Kit)", format: "slack" },
  { id: "teams", title: "Microsoft Teams (Adaptive Card)", format: "teams" },
  { id: "amazon-q", title: "Amazon Q Developer in Slack", format: "chat" },
  // The same notification (one chat topic serves both): Amazon Q renders it in each platform's own markdown.
  { id: "amazon-q-teams", title: "Amazon Q Developer in Teams", format: "chat" },
  { id: "email", title: "Email", format: "email" },
] as const satisfies ReadonlyArray<{ id: string; title: string; format: RenderFormat }>;

export type GalleryChannel = (typeof GALLERY_CHANNELS)[number];

/** The golden files are rendered with the fixtures' account alias; the pictures show the same text. */
export function renderCase(channel: GalleryChannel, galleryCase: GalleryCase): string {
  return renderFor(channel.format, galleryCase.event, { accountAliases: GOLDEN_ACCOUNT_ALIASES });
}
