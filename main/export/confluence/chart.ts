/**
 * The charts of the exports, as a small tree of SVG elements (`SvgEl`) that each destination serialises with its
 * own escaping: `svgDocument` writes a standalone SVG file with xmlbuilder2 (the Confluence bundle's attachment),
 * the HTML report writes the same tree inline through its element helpers (../report/html.ts). Two charts: the
 * scores per host (one horizontal bar each, 0-100 or "no score") and the trend across scans (one point per scan).
 * Deterministic: the same scores give the same bytes (fixed geometry, no dates of their own, no random ids); labels
 * are in their visible form (text.ts) and cut to 40 characters.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { builderText, visible } from './text.js';

export interface ChartBar {
  label: string;
  /** 0..100, or null when the host (or scan) has no score. */
  score: number | null;
}

/** The SVG elements a chart is made of. */
export type SvgName = 'svg' | 'title' | 'rect' | 'text' | 'line' | 'polyline' | 'circle' | 'g';

/** One element: its attributes (names and values of our making), its text (visible form) and children. */
export interface SvgEl {
  name: SvgName;
  attrs: Record<string, string>;
  text?: string;
  children: SvgEl[];
}

export const SVG_NS = 'http://www.w3.org/2000/svg';
const ROW = 22;
const LEFT = 260;
const WIDTH = 640;
const BAR = WIDTH - LEFT - 60;

const colour = (score: number): string => (score >= 80 ? '#2e7d32' : score >= 50 ? '#f9a825' : '#c62828');

function label(s: string, max = 40): string {
  const cps = [...visible(s)];
  return cps.length > max ? `${cps.slice(0, max - 1).join('')}…` : cps.join('');
}

const e = (name: SvgName, attrs: Record<string, string | number>, text?: string): SvgEl => ({
  name,
  attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, String(v)])),
  ...(text !== undefined ? { text } : {}),
  children: [],
});

function frame(title: string, width: number, height: number): SvgEl {
  const svg = e('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'font-family': 'sans-serif',
    'font-size': 12,
  });
  svg.children.push(
    e('title', {}, visible(title)),
    e('rect', { width, height, fill: '#ffffff' }),
    e('text', { x: 10, y: 22, 'font-size': 14, 'font-weight': 'bold' }, visible(title)),
  );
  return svg;
}

/** The scores chart: one bar per host. */
export function scoresChart(title: string, bars: readonly ChartBar[]): SvgEl {
  const height = 40 + ROW * Math.max(bars.length, 1) + 10;
  const svg = frame(title, WIDTH, height);
  bars.forEach((b, i) => {
    const y = 40 + i * ROW;
    svg.children.push(
      e('text', { x: LEFT - 8, y: y + 14, 'text-anchor': 'end' }, label(b.label)),
      e('rect', { x: LEFT, y: y + 3, width: BAR, height: 14, fill: '#eeeeee' }),
    );
    if (b.score !== null) {
      const w = Math.round((BAR * Math.max(0, Math.min(100, b.score))) / 100);
      svg.children.push(e('rect', { x: LEFT, y: y + 3, width: w, height: 14, fill: colour(b.score) }));
    }
    svg.children.push(
      e('text', { x: LEFT + BAR + 6, y: y + 14 }, b.score === null ? 'no score' : `${Math.round(b.score)}`),
    );
  });
  return svg;
}

const T_HEIGHT = 200;
const T_TOP = 40;
const T_PLOT = 110;
const T_LEFT = 50;
const T_RIGHT = 30;

/** The trend chart: the score of each scan, oldest first, as points joined by a line (a gap where none). */
export function trendChart(title: string, points: readonly ChartBar[]): SvgEl {
  const svg = frame(title, WIDTH, T_HEIGHT);
  const span = WIDTH - T_LEFT - T_RIGHT;
  const yOf = (score: number) =>
    T_TOP + T_PLOT - Math.round((T_PLOT * Math.max(0, Math.min(100, score))) / 100);
  for (const v of [0, 50, 100]) {
    svg.children.push(
      e('line', {
        x1: T_LEFT,
        y1: yOf(v),
        x2: WIDTH - T_RIGHT,
        y2: yOf(v),
        stroke: '#dddddd',
        'stroke-width': 1,
      }),
      e('text', { x: T_LEFT - 6, y: yOf(v) + 4, 'text-anchor': 'end' }, String(v)),
    );
  }
  const xOf = (i: number) =>
    points.length <= 1
      ? T_LEFT + Math.round(span / 2)
      : T_LEFT + Math.round((span * i) / (points.length - 1));
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1)
      svg.children.push(
        e('polyline', { points: run.join(' '), fill: 'none', stroke: '#1565c0', 'stroke-width': 2 }),
      );
    run = [];
  };
  points.forEach((p, i) => {
    if (p.score === null) {
      flush();
      return;
    }
    run.push(`${xOf(i)},${yOf(p.score)}`);
  });
  flush();
  // At most 6 labels along the axis, so they do not overlap.
  const every = Math.max(1, Math.ceil(points.length / 6));
  points.forEach((p, i) => {
    const x = xOf(i);
    if (p.score !== null)
      svg.children.push(
        e('circle', { cx: x, cy: yOf(p.score), r: 4, fill: colour(p.score) }),
        e('text', { x, y: yOf(p.score) - 8, 'text-anchor': 'middle' }, `${Math.round(p.score)}`),
      );
    else svg.children.push(e('text', { x, y: T_TOP + T_PLOT - 4, 'text-anchor': 'middle' }, 'no score'));
    const last = points.length - 1;
    if (i === last || (i % every === 0 && last - i >= every))
      svg.children.push(
        e(
          'text',
          { x, y: T_TOP + T_PLOT + 20, 'text-anchor': 'middle', 'font-size': 10 },
          label(p.label, 18),
        ),
      );
  });
  if (points.length === 0) svg.children.push(e('text', { x: T_LEFT, y: T_TOP + 40 }, 'No scan yet.'));
  return svg;
}

function build(parent: XMLBuilder, el: SvgEl): void {
  const x = parent.ele(el.name);
  for (const [k, v] of Object.entries(el.attrs)) x.att(k, v);
  if (el.text !== undefined) x.txt(builderText(el.text));
  for (const c of el.children) build(x, c);
}

/** The standalone SVG document of a chart. */
export function svgDocument(chart: SvgEl): string {
  const svg = create({ version: '1.0', encoding: 'UTF-8' }).ele(SVG_NS, chart.name);
  for (const [k, v] of Object.entries(chart.attrs)) svg.att(k, v);
  for (const c of chart.children) build(svg, c);
  return `${svg.doc().end({ prettyPrint: true, wellFormed: true })}\n`;
}

/** The SVG text of the scores chart. */
export function scoresSvg(title: string, bars: readonly ChartBar[]): string {
  return svgDocument(scoresChart(title, bars));
}
