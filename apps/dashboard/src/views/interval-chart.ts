import { html } from "hono/html";
import type { Markup } from "./layout.ts";

/** An estimate with its interval, all on the same scale. */
export interface Interval {
  mean: number;
  low: number;
  high: number;
}

export interface AxisChartInput {
  /** Accessible name of the chart, read instead of the drawing. */
  label: string;
  /** Baseline against itself (captured output vs a baseline replay). */
  band: Interval;
  /** Candidate against the captured baseline output. */
  candidate: Interval;
  /** Gap band - candidate, with the anytime-valid bounds the verdict uses. */
  gap: Interval;
  margin: number;
}

const WIDTH = 640;
const LEFT = 150;
const RIGHT = 24;

/** Maps [from, to] onto the plot's horizontal extent. */
function scale(from: number, to: number): (x: number) => number {
  const span = to - from || 1;
  return (x) => LEFT + ((Math.min(Math.max(x, from), to) - from) / span) * (WIDTH - LEFT - RIGHT);
}

const pts = (x: number) => `${(x * 100).toFixed(1)}`;

function intervalRow(y: number, label: string, v: Interval, x: (n: number) => number, kind: string): Markup {
  return html`<g class="row ${kind}">
  <text x="${LEFT - 10}" y="${y + 4}" text-anchor="end" class="chart-label">${label}</text>
  <line x1="${x(v.low).toFixed(1)}" x2="${x(v.high).toFixed(1)}" y1="${y}" y2="${y}" class="interval"></line>
  <line x1="${x(v.low).toFixed(1)}" x2="${x(v.low).toFixed(1)}" y1="${y - 6}" y2="${y + 6}" class="interval"></line>
  <line x1="${x(v.high).toFixed(1)}" x2="${x(v.high).toFixed(1)}" y1="${y - 6}" y2="${y + 6}" class="interval"></line>
  <circle cx="${x(v.mean).toFixed(1)}" cy="${y}" r="5" class="estimate"></circle>
</g>`;
}

function ticks(from: number, to: number, x: (n: number) => number, y: number, asPoints: boolean): Markup {
  const step = (to - from) / 4;
  const values = [0, 1, 2, 3, 4].map((i) => from + i * step);
  return html`${values.map(
    (v) => html`<text x="${x(v).toFixed(1)}" y="${y}" text-anchor="middle" class="chart-tick">${asPoints ? `${pts(v)}` : `${pts(v)}%`}</text>`,
  )}`;
}

/**
 * Two panels per axis, drawn as inline SVG (no script, no chart library): agreement of the baseline with
 * itself and of the candidate with the baseline, each with its interval; below, the gap between them against
 * the margin, which is what the verdict is about. The numbers are also printed next to the chart, so the
 * drawing is never the only way to read them.
 */
export function axisChart(input: AxisChartInput): Markup {
  const lowest = Math.min(input.band.low, input.candidate.low, input.band.mean - input.margin);
  const from = Math.max(0, Math.floor((lowest - 0.02) * 20) / 20);
  const agreement = scale(from, 1);
  const gapFrom = Math.min(-0.05, Math.floor((input.gap.low - 0.01) * 20) / 20);
  const gapTo = Math.max(input.margin + 0.05, Math.ceil((input.gap.high + 0.01) * 20) / 20);
  const gap = scale(gapFrom, gapTo);
  const passLine = agreement(input.band.mean - input.margin).toFixed(1);
  const marginLine = gap(input.margin).toFixed(1);
  return html`<svg class="axis-chart" viewBox="0 0 ${WIDTH} 176" role="img" aria-label="${input.label}"
  preserveAspectRatio="xMinYMin meet">
  <text x="${LEFT}" y="14" class="chart-title">Agreement with the captured baseline output (%) · dashed: band − margin</text>
  <line x1="${passLine}" x2="${passLine}" y1="24" y2="72" class="threshold"></line>
  ${intervalRow(36, "Baseline vs itself", input.band, agreement, "band")}
  ${intervalRow(60, "Candidate", input.candidate, agreement, "candidate")}
  ${ticks(from, 1, agreement, 88, false)}
  <text x="${LEFT}" y="116" class="chart-title">Gap, band − candidate (points) · dashed: margin ${pts(input.margin)}</text>
  <line x1="${gap(0).toFixed(1)}" x2="${gap(0).toFixed(1)}" y1="124" y2="152" class="zero"></line>
  <line x1="${marginLine}" x2="${marginLine}" y1="124" y2="152" class="threshold"></line>
  ${intervalRow(138, "Gap", input.gap, gap, "gap")}
  ${ticks(gapFrom, gapTo, gap, 170, true)}
</svg>`;
}
