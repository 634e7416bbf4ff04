/**
 * The scores chart: one horizontal bar per host (score 0-100, or "no score"), as an SVG document built with
 * xmlbuilder2. Deterministic: the same scores give the same bytes (fixed geometry, no dates, no random ids); host
 * names go through the page sanitiser and are cut to 40 characters.
 */
import { create } from 'xmlbuilder2';
import { builderText, visible } from './text.js';

export interface ChartBar {
  label: string;
  /** 0..100, or null when the host has no score. */
  score: number | null;
}

const ROW = 22;
const LEFT = 260;
const WIDTH = 640;
const BAR = WIDTH - LEFT - 60;

const colour = (score: number): string => (score >= 80 ? '#2e7d32' : score >= 50 ? '#f9a825' : '#c62828');

function label(s: string): string {
  const cps = [...visible(s)];
  return cps.length > 40 ? `${cps.slice(0, 39).join('')}…` : cps.join('');
}

/** The SVG text of the chart. */
export function scoresSvg(title: string, bars: readonly ChartBar[]): string {
  const height = 40 + ROW * Math.max(bars.length, 1) + 10;
  const svg = create({ version: '1.0', encoding: 'UTF-8' })
    .ele('http://www.w3.org/2000/svg', 'svg')
    .att('width', String(WIDTH))
    .att('height', String(height))
    .att('viewBox', `0 0 ${WIDTH} ${height}`)
    .att('font-family', 'sans-serif')
    .att('font-size', '12');
  svg.ele('title').txt(builderText(title));
  svg.ele('rect').att('width', String(WIDTH)).att('height', String(height)).att('fill', '#ffffff');
  svg
    .ele('text')
    .att('x', '10')
    .att('y', '22')
    .att('font-size', '14')
    .att('font-weight', 'bold')
    .txt(builderText(title));
  bars.forEach((b, i) => {
    const y = 40 + i * ROW;
    svg
      .ele('text')
      .att('x', String(LEFT - 8))
      .att('y', String(y + 14))
      .att('text-anchor', 'end')
      .txt(builderText(label(b.label)));
    svg
      .ele('rect')
      .att('x', String(LEFT))
      .att('y', String(y + 3))
      .att('width', String(BAR))
      .att('height', '14')
      .att('fill', '#eeeeee');
    if (b.score !== null) {
      const w = Math.round((BAR * Math.max(0, Math.min(100, b.score))) / 100);
      svg
        .ele('rect')
        .att('x', String(LEFT))
        .att('y', String(y + 3))
        .att('width', String(w))
        .att('height', '14')
        .att('fill', colour(b.score));
    }
    svg
      .ele('text')
      .att('x', String(LEFT + BAR + 6))
      .att('y', String(y + 14))
      .txt(b.score === null ? 'no score' : `${Math.round(b.score)}`);
  });
  return `${svg.doc().end({ prettyPrint: true, wellFormed: true })}\n`;
}
