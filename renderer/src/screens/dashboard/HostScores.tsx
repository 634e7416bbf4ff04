/**
 * Score per host, worst first, as horizontal bars with the number at the end of each bar. A bar opens the results
 * of the scan for that host. Host names are target text: axis labels are text nodes (recharts renders tick values
 * as text), with control characters made visible and long names cut; the full name is in the tooltip and the table.
 */
import { useMemo, type JSX } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Tooltip,
  XAxis,
  YAxis,
  type LabelProps,
  type TooltipContentProps,
} from 'recharts';
import { useStore } from '../../store/index.js';
import { SafeText, TargetText, visibleControls } from '../../components/TargetText.js';
import { formatScore } from '../../components/format.js';
import { chartColours } from './colours.js';
import {
  scoreBand,
  scoredHosts,
  truncateLabel,
  unscoredHosts,
  type ScoredHost,
  type Summary,
} from './figures.js';
import { Figures, FiguresTable } from './FiguresTable.js';

const ROW_PX = 26;
const BAR_PX = 16;
/** Top axis and margins. */
const AXIS_PX = 36;

interface Row {
  key: string;
  score: number;
  label: string;
  sh: ScoredHost;
}

function HostTip({ active, payload }: TooltipContentProps): JSX.Element | null {
  const row = active ? (payload?.[0]?.payload as Row | undefined) : undefined;
  if (!row) return null;
  const c = row.sh.host.counts;
  return (
    <div className="chart-tip">
      <SafeText text={row.sh.host.hostName} />
      <div>
        score <strong>{formatScore(row.score)}</strong> · {c.fail} fail · {c.pass} pass
      </div>
    </div>
  );
}

export function HostScores({ summary }: { summary: Summary }): JSX.Element {
  const openHostResults = useStore((s) => s.openHostResults);
  const colours = chartColours();
  const rows: Row[] = useMemo(
    () =>
      scoredHosts(summary.hosts).map((sh) => ({
        key: sh.key,
        score: sh.score,
        label: truncateLabel(visibleControls(sh.host.hostName, false)),
        sh,
      })),
    [summary.hosts],
  );
  const unscored = useMemo(() => unscoredHosts(summary.hosts), [summary.hosts]);
  const labels = useMemo(() => new Map(rows.map((r) => [r.key, r.label])), [rows]);
  const described =
    'Score per host, worst first: ' +
    (rows.length === 0
      ? 'no host has a score.'
      : rows.map((r) => `${r.label} ${formatScore(r.score)}`).join('; '));

  const scoreLabel = (p: LabelProps): JSX.Element | null => {
    const row = typeof p.index === 'number' ? rows[p.index] : undefined;
    const vb = p.viewBox as { x?: number; y?: number; width?: number; height?: number } | undefined;
    if (!row || !vb) return null;
    return (
      <text
        x={(vb.x ?? 0) + (vb.width ?? 0) + 6}
        y={(vb.y ?? 0) + (vb.height ?? 0) / 2}
        dominantBaseline="central"
        className="chart-value"
        data-testid="dashboard-host-score"
        data-host-id={row.sh.host.hostId ?? ''}
        data-value={row.score}
      >
        {formatScore(row.score)}
      </text>
    );
  };

  return (
    <section
      className="panel dashboard-panel"
      data-testid="dashboard-hosts"
      aria-labelledby="dash-hosts-title"
    >
      <h2 id="dash-hosts-title">Score per host</h2>
      <div className="chart-scroll">
        {rows.length > 0 ? (
          <figure
            className="chart"
            role="img"
            aria-label={described}
            data-testid="dashboard-hosts-chart"
            data-count={rows.length}
          >
            <BarChart
              layout="vertical"
              data={rows}
              responsive
              width="100%"
              height={rows.length * ROW_PX + AXIS_PX}
              margin={{ top: 4, right: 40, bottom: 4, left: 4 }}
              barSize={BAR_PX}
            >
              <CartesianGrid horizontal={false} stroke={colours.line} />
              <XAxis
                type="number"
                orientation="top"
                domain={[0, 100]}
                ticks={[0, 25, 50, 75, 100]}
                tick={{ fontSize: 11 }}
              />
              <YAxis
                type="category"
                dataKey="key"
                width={180}
                interval={0}
                tick={{ fontSize: 12 }}
                tickFormatter={(k: string) => labels.get(k) ?? ''}
              />
              <Tooltip content={HostTip} isAnimationActive={false} cursor={{ fill: '#eef2f8' }} />
              <Bar
                dataKey="score"
                isAnimationActive={false}
                cursor="pointer"
                onClick={(_d, i) => {
                  const row = rows[i];
                  if (row) openHostResults(row.sh.host.hostId);
                }}
              >
                {rows.map((r) => (
                  <Cell key={r.key} fill={colours.band[scoreBand(r.score)]} />
                ))}
                <LabelList dataKey="score" content={scoreLabel} />
              </Bar>
            </BarChart>
          </figure>
        ) : (
          <p className="muted">No host has a score in this scan.</p>
        )}
        {unscored.length > 0 && (
          <ul className="dashboard-unscored" data-testid="dashboard-unscored">
            {unscored.map(({ host, why, failed }, i) => (
              <li
                key={host.hostId ?? `removed-${i}`}
                data-testid="dashboard-unscored-host"
                data-host-id={host.hostId ?? ''}
                data-state={host.state ?? ''}
                className={failed ? 'dashboard-unscored-failed' : undefined}
              >
                <SafeText text={truncateLabel(host.hostName, 60)} /> —{' '}
                <TargetText
                  text={why}
                  className={failed ? undefined : 'muted'}
                  testId="dashboard-unscored-why"
                />
              </li>
            ))}
            {summary.unlistedHosts > 0 && (
              <li className="muted" data-testid="dashboard-unlisted" data-count={summary.unlistedHosts}>
                and {summary.unlistedHosts.toLocaleString('en-US')} more hosts not scanned (not listed)
              </li>
            )}
          </ul>
        )}
      </div>
      <Figures testId="dashboard-hosts-figures">
        <FiguresTable
          testId="dashboard-hosts-table"
          head={['Host', 'Score', 'pass', 'fail', 'error', 'manual', 'n/a']}
          rows={rows.map((r) => ({
            key: r.key,
            testId: 'dashboard-host-row',
            data: { 'data-host-id': r.sh.host.hostId ?? '', 'data-score': String(r.score) },
            cells: [
              <button
                type="button"
                className="link"
                onClick={() => openHostResults(r.sh.host.hostId)}
                data-testid="dashboard-host-open"
              >
                <SafeText text={r.sh.host.hostName} />
              </button>,
              formatScore(r.score),
              r.sh.host.counts.pass,
              r.sh.host.counts.fail,
              r.sh.host.counts.error,
              r.sh.host.counts.manual,
              r.sh.host.counts.not_applicable,
            ],
          }))}
        />
      </Figures>
    </section>
  );
}
