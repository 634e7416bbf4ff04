/**
 * The text alternative of a chart: its figures as a small table, folded under "Figures" so the charts keep the
 * screen. Rows carry data-* attributes so tests read the figures without parsing text.
 */
import type { JSX, ReactNode } from 'react';

export interface FiguresRow {
  key: string;
  testId: string;
  data: Record<`data-${string}`, string>;
  cells: ReactNode[];
}

/** "Figures": a fold holding one or more FiguresTables. */
export function Figures({ testId, children }: { testId: string; children: ReactNode }): JSX.Element {
  return (
    <details className="figures" data-testid={testId}>
      <summary>Figures</summary>
      {children}
    </details>
  );
}

export function FiguresTable({
  testId,
  head,
  rows,
  caption,
}: {
  testId: string;
  head: string[];
  rows: FiguresRow[];
  caption?: string;
}): JSX.Element {
  return (
    <table className="table figures-table" data-testid={testId}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={r.testId} {...r.data}>
            {r.cells.map((c, i) =>
              i === 0 ? (
                <th key={i} scope="row">
                  {c}
                </th>
              ) : (
                <td key={i}>{c}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
