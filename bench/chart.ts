import { findCase, totals } from "./figures";
import type { CaseResult, PollerKind } from "./types";

// A dependency-free SVG chart: API requests per quiet poll and peak RSS, against N, for the three pollers.

interface Point {
  x: number;
  y: number;
}

interface Series {
  label: string;
  color: string;
  dashed: boolean;
  points: Point[];
}

interface Panel {
  title: string;
  yLabel: string;
  logY: boolean;
  series: Series[];
}

const WIDTH = 980;
const HEIGHT = 420;
const PANEL_WIDTH = 430;
const PLOT = { left: 70, right: 20, top: 40, bottom: 60 };
const COLORS: Record<PollerKind, string> = { ours: "#1b7f3b", window: "#c77c02", naive: "#b3261e" };
const NAMES: Record<PollerKind, string> = { ours: "ours", window: "window poller", naive: "naive poller" };

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const label = (value: number): string =>
  value >= 1_000_000
    ? `${value / 1_000_000}M`
    : value >= 1_000
      ? `${value / 1_000}k`
      : String(Math.round(value * 100) / 100);

function niceStep(range: number): number {
  const raw = range / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * power >= raw) ?? 10;
  return multiple * power;
}

function panelSvg(panel: Panel, xs: readonly number[], offsetX: number): string {
  const width = PANEL_WIDTH - PLOT.left - PLOT.right;
  const height = HEIGHT - PLOT.top - PLOT.bottom;
  const ys = panel.series.flatMap((series) => series.points.map((point) => point.y)).filter((y) => y > 0);
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const scaleX = (x: number): number =>
    PLOT.left +
    (maxX === minX ? width / 2 : ((Math.log10(x) - Math.log10(minX)) / (Math.log10(maxX) - Math.log10(minX))) * width);

  let ticks: number[];
  let scaleY: (y: number) => number;
  if (panel.logY) {
    const low = Math.floor(Math.log10(Math.min(...ys)));
    const high = Math.ceil(Math.log10(Math.max(...ys)));
    ticks = Array.from({ length: high - low + 1 }, (_, index) => 10 ** (low + index));
    scaleY = (y) => PLOT.top + height - ((Math.log10(Math.max(y, 10 ** low)) - low) / Math.max(1, high - low)) * height;
  } else {
    const step = niceStep(Math.max(...ys));
    const top = Math.ceil(Math.max(...ys) / step) * step;
    ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
    scaleY = (y) => PLOT.top + height - (y / top) * height;
  }

  const parts: string[] = [`<g transform="translate(${offsetX},0)">`];
  parts.push(`<text x="${PLOT.left}" y="24" font-size="15" font-weight="bold">${escapeXml(panel.title)}</text>`);
  for (const tick of ticks) {
    const y = scaleY(tick).toFixed(1);
    parts.push(`<line x1="${PLOT.left}" x2="${PLOT.left + width}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${PLOT.left - 6}" y="${y}" font-size="11" text-anchor="end" dy="4">${label(tick)}</text>`);
  }
  for (const x of xs) {
    const px = scaleX(x).toFixed(1);
    parts.push(`<line x1="${px}" x2="${px}" y1="${PLOT.top}" y2="${PLOT.top + height}" stroke="#eee"/>`);
    parts.push(`<text x="${px}" y="${PLOT.top + height + 16}" font-size="11" text-anchor="middle">${label(x)}</text>`);
  }
  parts.push(
    `<text x="${PLOT.left + width / 2}" y="${HEIGHT - 22}" font-size="12" text-anchor="middle">N finished jobs (log scale)</text>`,
    `<text transform="translate(16,${PLOT.top + height / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${width}" height="${height}" fill="none" stroke="#888"/>`,
  );
  for (const series of panel.series) {
    if (series.points.length === 0) continue;
    const path = series.points.map((point) => `${scaleX(point.x).toFixed(1)},${scaleY(point.y).toFixed(1)}`);
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : "";
    parts.push(`<polyline points="${path.join(" ")}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
    for (const point of series.points) {
      parts.push(
        `<circle cx="${scaleX(point.x).toFixed(1)}" cy="${scaleY(point.y).toFixed(1)}" r="3" fill="${series.color}"/>`,
      );
    }
  }
  parts.push("</g>");
  return parts.join("\n");
}

function seriesOf(
  results: readonly CaseResult[],
  xs: readonly number[],
  opens: readonly number[],
  value: (result: CaseResult) => number,
): Series[] {
  const series: Series[] = [];
  for (const poller of ["naive", "window", "ours"] as const) {
    for (const [index, open] of opens.entries()) {
      const points = xs.flatMap((x) => {
        const result = findCase(results, poller, x, open, 0);
        return result ? [{ x, y: value(result) }] : [];
      });
      series.push({
        label: `${NAMES[poller]}, ${open} open`,
        color: COLORS[poller],
        dashed: index < opens.length - 1,
        points,
      });
    }
  }
  return series;
}

/** The chart of docs/performance.md: quiet polls (0 % changed) of every poller, per open-job count. */
export function performanceChart(results: readonly CaseResult[]): string {
  const xs = [...new Set(results.map((result) => result.spec.finished))].sort((a, b) => a - b);
  const opens = [...new Set(results.map((result) => result.spec.open))].sort((a, b) => a - b);
  const requests: Panel = {
    title: "API requests per quiet poll",
    yLabel: "Bedrock + DynamoDB + SNS requests (log scale)",
    logY: true,
    series: seriesOf(results, xs, opens, (result) => totals(result.measured.counters).requests),
  };
  const memory: Panel = {
    title: "Peak RSS of the poller process",
    yLabel: "MB",
    logY: false,
    series: seriesOf(results, xs, opens, (result) => result.measured.memory.processPeakRssMb),
  };
  const legend = requests.series.map((series, index) => {
    const x = 70 + (index % 3) * 300;
    const y = HEIGHT + 10 + Math.floor(index / 3) * 20;
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : "";
    return (
      `<line x1="${x}" x2="${x + 30}" y1="${y}" y2="${y}" stroke="${series.color}" stroke-width="2"${dash}/>` +
      `<text x="${x + 38}" y="${y + 4}" font-size="12">${escapeXml(series.label)}</text>`
    );
  });
  const legendRows = Math.ceil(requests.series.length / 3);
  const totalHeight = HEIGHT + 20 + legendRows * 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${totalHeight}" viewBox="0 0 ${WIDTH} ${totalHeight}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panelSvg(requests, xs, 0),
    panelSvg(memory, xs, PANEL_WIDTH + 60),
    ...legend,
    "</svg>",
    "",
  ].join("\n");
}
