/**
 * Verdicts of the scan by check family and by severity: stacked bars in the verdict badge colours; waived results
 * (an approved waiver covers them) are a segment of their own when there are any.
 */
import type { JSX } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { chartColours } from './colours.js';
import type { ShownVerdict } from '../../../../shared/model/results.js';
import {
  VERDICT_NAMES,
  countOf,
  describeStack,
  stackOrder,
  familyRows,
  severityRows,
  total,
  type StackRow,
  type Summary,
} from './figures.js';
import { Figures, FiguresTable } from './FiguresTable.js';

const ROW_PX = 24;

const FAMILY_NAMES: Record<string, string> = { hardening: 'Hardening', aaa: 'AAA', drift: 'Drift' };
const nameOf = (n: string): string => FAMILY_NAMES[n] ?? n;

type Order = readonly ShownVerdict[];

function Legend({ order }: { order: Order }): JSX.Element {
  const c = chartColours();
  return (
    <ul className="chart-legend" aria-hidden="true">
      {order.map((v) => (
        <li key={v}>
          <span className="swatch" style={{ background: c.verdict[v] }} />
          {VERDICT_NAMES[v]}
        </li>
      ))}
    </ul>
  );
}

function StackTable({ kind, rows, order }: { kind: 'family' | 'severity'; rows: StackRow[]; order: Order }): JSX.Element {
  return (
    <FiguresTable
      testId={`dashboard-by-${kind}-table`}
      caption={kind === 'family' ? 'By family' : 'By severity'}
      head={[kind === 'family' ? 'Family' : 'Severity', ...order.map((v) => VERDICT_NAMES[v])]}
      rows={rows.map((r) => ({
        key: r.name,
        testId: `dashboard-${kind}-row`,
        data: Object.fromEntries([
          [`data-${kind}`, r.name],
          ...order.map((v) => [`data-${v.replace('_', '-')}`, String(countOf(r, v))]),
        ]) as Record<`data-${string}`, string>,
        cells: [nameOf(r.name), ...order.map((v) => countOf(r, v))],
      }))}
    />
  );
}

function Stack({
  title,
  kind,
  rows,
  order,
}: {
  title: string;
  kind: 'family' | 'severity';
  rows: StackRow[];
  order: Order;
}): JSX.Element {
  const c = chartColours();
  const shown = rows.filter((r) => total(r) > 0).map((r) => ({ ...r, waived: r.waived ?? 0 }));
  return (
    <div className="stack" data-testid={`dashboard-by-${kind}`}>
      <h3>{title}</h3>
      {shown.length === 0 ? (
        <p className="muted small">No results.</p>
      ) : (
        <figure
          className="chart"
          role="img"
          aria-label={describeStack(title, rows, order)}
          data-testid={`dashboard-by-${kind}-chart`}
        >
          <BarChart
            layout="vertical"
            data={shown}
            responsive
            width="100%"
            height={shown.length * ROW_PX + 30}
            margin={{ top: 2, right: 16, bottom: 2, left: 4 }}
            barSize={14}
          >
            <CartesianGrid horizontal={false} stroke={c.line} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
            <YAxis
              type="category"
              dataKey="name"
              width={76}
              interval={0}
              tick={{ fontSize: 12 }}
              tickFormatter={nameOf}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ fill: '#eef2f8' }}
              labelFormatter={(l) => nameOf(String(l))}
            />
            {order.map((v) => (
              <Bar
                key={v}
                dataKey={v}
                name={VERDICT_NAMES[v]}
                stackId="v"
                fill={c.verdict[v]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </figure>
      )}
    </div>
  );
}

export function VerdictStacks({ summary }: { summary: Summary }): JSX.Element {
  const families = familyRows(summary);
  const severities = severityRows(summary);
  const order = stackOrder(summary);
  return (
    <section
      className="panel dashboard-panel"
      data-testid="dashboard-verdicts"
      aria-labelledby="dash-verdicts-title"
    >
      <div className="panel-head">
        <h2 id="dash-verdicts-title">Verdicts</h2>
        <Legend order={order} />
      </div>
      <Stack title="By family" kind="family" rows={families} order={order} />
      <Stack title="By severity" kind="severity" rows={severities} order={order} />
      <Figures testId="dashboard-verdicts-figures">
        <StackTable kind="family" rows={families} order={order} />
        <StackTable kind="severity" rows={severities} order={order} />
      </Figures>
    </section>
  );
}
