/**
 * Charts as PNG, for places that show no SVG (a Confluence page, a mail): the chart's SVG document rasterised by
 * resvg (@resvg/resvg-js, a prebuilt N-API addon) at twice its size, with Inter from the build (dist/fonts; system
 * fonts are never loaded, so the same SVG gives the same bytes on every machine, and text renders where no font is
 * installed). The SVG is ours (confluence/chart.ts); resvg loads no external resource.
 */
import { Resvg } from '@resvg/resvg-js';
import { CHART_FONT_FILE, fontBytes, fontPath } from './report/fonts.js';

export const PNG_ZOOM = 2;

export interface Png {
  bytes: Buffer;
  width: number;
  height: number;
}

/** The PNG of an SVG document. */
export function svgToPng(svg: string): Png {
  fontBytes(CHART_FONT_FILE); // a missing font is an error naming it, never text left out
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    font: {
      loadSystemFonts: false,
      fontFiles: [fontPath(CHART_FONT_FILE, true)],
      defaultFontFamily: 'Inter',
      sansSerifFamily: 'Inter',
    },
    logLevel: 'off',
    imageRendering: 0,
    shapeRendering: 2,
    textRendering: 1,
  });
  const img = r.render();
  return { bytes: Buffer.from(img.asPng()), width: img.width, height: img.height };
}
