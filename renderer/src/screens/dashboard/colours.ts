/**
 * Chart colours are the badge colours of app.css (its CSS variables), read once from the document so the charts
 * and the badges never drift apart. The fallbacks are the values app.css sets today.
 */
import type { ShownVerdict } from '../../../../shared/model/results.js';

export interface ChartColours {
  verdict: Record<ShownVerdict, string>;
  band: Record<'good' | 'fair' | 'poor', string>;
  accent: string;
  line: string;
  muted: string;
  text: string;
}

const FALLBACK = {
  '--pass': '#1d7a3e',
  '--fail': '#b42318',
  '--warn': '#a15c07',
  '--na': '#6b7280',
  '--manual': '#6941c6',
  '--waived': '#0e7490',
  '--accent': '#1f5fbf',
  '--line': '#dde1e6',
  '--muted': '#5b6675',
  '--text': '#1c2430',
} as const;

let cached: ChartColours | undefined;

export function chartColours(): ChartColours {
  if (cached) return cached;
  const style = getComputedStyle(document.documentElement);
  const v = (name: keyof typeof FALLBACK): string => style.getPropertyValue(name).trim() || FALLBACK[name];
  cached = {
    verdict: {
      pass: v('--pass'),
      fail: v('--fail'),
      error: v('--warn'),
      manual: v('--manual'),
      not_applicable: v('--na'),
      waived: v('--waived'),
    },
    band: { good: v('--pass'), fair: v('--warn'), poor: v('--fail') },
    accent: v('--accent'),
    line: v('--line'),
    muted: v('--muted'),
    text: v('--text'),
  };
  return cached;
}
