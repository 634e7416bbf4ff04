/** The engagement's score across its finished scans, oldest first; the scan shown is marked. */
import { useMemo, type JSX } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatScore, formatTime } from '../../components/format.js';
import { chartColours } from './colours.js';
import type { Summary } from './figures.js';
import { Figures, FiguresTable } from './FiguresTable.js';

interface Point {
  key: string;
  scanId: string;
  date: string;
  score: number | null;
  fail: number;
}

export function Trend({ summary }: { summary: Summary }): JSX.Element {
  const c = chartColours();
  const points: Point[] = useMemo(
    () =>
      summary.trend.map((p, i) => ({
        key: `s${i}`,
        scanId: p.scanId,
        date: formatTime(p.startedAt),
        score: p.score,
        fail: p.counts.fail,
      })),
    [summary.trend],
  );
  const dates = useMemo(() => new Map(points.map((p) => [p.key, p.date])), [points]);
  const current = points.find((p) => p.scanId === summary.scanId);
  const described =
    'Score across scans, oldest first: ' +
    (points.length === 0
      ? 'no finished scan.'
      : points.map((p) => `${p.date} ${formatScore(p.score)}`).join('; '));
  return (
    <section
      className="panel dashboard-panel"
      data-testid="dashboard-trend"
      aria-labelledby="dash-trend-title"
    >
      <h2 id="dash-trend-title">Score across scans</h2>
      {points.length === 0 ? (
        <p className="muted">No finished scan yet.</p>
      ) : (
        <figure
          className="chart"
          role="img"
          aria-label={described}
          data-testid="dashboard-trend-chart"
          data-points={points.length}
        >
          <LineChart
            data={points}
            responsive
            width="100%"
            height={150}
            margin={{ top: 10, right: 24, bottom: 4, left: 0 }}
          >
            <CartesianGrid stroke={c.line} vertical={false} />
            <XAxis
              dataKey="key"
              tickFormatter={(k: string) => dates.get(k) ?? ''}
              tick={{ fontSize: 11 }}
              minTickGap={16}
              padding={{ left: 48, right: 48 }}
            />
            <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} width={36} tick={{ fontSize: 11 }} />
            {current && <ReferenceLine x={current.key} stroke={c.muted} strokeDasharray="4 3" />}
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(k) => dates.get(String(k)) ?? ''}
              formatter={(v) => [formatScore(typeof v === 'number' ? v : null), 'score']}
            />
            <Line
              type="linear"
              dataKey="score"
              stroke={c.accent}
              strokeWidth={2}
              dot={{ r: 4, fill: c.accent }}
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        </figure>
      )}
      <Figures testId="dashboard-trend-figures">
        <FiguresTable
          testId="dashboard-trend-table"
          head={['Scan started', 'Score', 'fail']}
          rows={points.map((p) => ({
            key: p.key,
            testId: 'dashboard-trend-row',
            data: { 'data-scan-id': p.scanId, 'data-score': p.score === null ? '' : String(p.score) },
            cells: [p.date, formatScore(p.score), p.fail],
          }))}
        />
      </Figures>
    </section>
  );
}
