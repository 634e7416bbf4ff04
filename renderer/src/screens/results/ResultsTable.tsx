/**
 * The host x check table. Only the rows in view are in the page (virtualised); rows are fetched 1000 at a time
 * as they scroll into view. One tab stop: arrow keys move the active row, Enter opens its check, H its host.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type JSX, type KeyboardEvent, type RefObject } from 'react';
import type { ResultRow } from '../../../../shared/api/schemas/results.js';
import { SeverityBadge, VerdictBadge } from '../../components/Badges.js';
import { formText, SafeText, TargetText, visibleControls } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';
import { rowAt, type Chunk, type SortKey } from './resultsModel.js';

const ROW_HEIGHT = 34;
const NO_CHUNKS: Chunk[] = [];

interface Props {
  onOpenCheck(row: ResultRow): void;
  onOpenHost(row: ResultRow): void;
  sort: { by: SortKey; dir: 'asc' | 'desc' };
  onSort(by: SortKey): void;
  /** The grid takes focus back from a closed detail through this. */
  gridRef: RefObject<HTMLDivElement | null>;
}

const COLUMNS: { label: string; sort?: SortKey }[] = [
  { label: 'Host', sort: 'host' },
  { label: 'Check', sort: 'check' },
  { label: 'Family / area' },
  { label: 'Severity', sort: 'severity' },
  { label: 'Verdict', sort: 'verdict' },
  { label: 'Actual' },
];

function Row({
  row,
  index,
  active,
  onOpenHost,
}: {
  row: ResultRow | undefined;
  index: number;
  active: boolean;
  onOpenHost(r: ResultRow): void;
}): JSX.Element {
  if (!row)
    return (
      <div
        role="row"
        className="results-row loading"
        data-testid="results-row-loading"
        aria-rowindex={index + 2}
      >
        <div role="gridcell" className="muted">
          loading…
        </div>
      </div>
    );
  const flat = (s: string): string => visibleControls(s, false);
  return (
    <div
      role="row"
      id={`results-row-${index}`}
      className={active ? 'results-row active' : 'results-row'}
      aria-rowindex={index + 2}
      aria-selected={active}
      data-testid="results-row"
      data-index={index}
      data-verdict={row.verdict}
      data-severity={row.severity}
      data-check-id={row.checkId}
      data-host={row.hostName}
      data-host-id={row.hostId ?? ''}
      data-host-run-id={row.hostRunId}
    >
      <div role="gridcell" title={flat(row.hostName)}>
        <button
          type="button"
          className="link"
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            onOpenHost(row);
          }}
          data-testid="results-row-host"
        >
          <SafeText text={row.hostName} />
        </button>
      </div>
      <div role="gridcell" title={`${row.checkId}: ${row.title}`}>
        <span className="mono">{row.checkId}</span> <span className="results-title">{row.title}</span>
      </div>
      <div role="gridcell" className="muted small" title={`${row.family} / ${row.area}`}>
        {row.family} / {row.area}
      </div>
      <div role="gridcell">
        <SeverityBadge severity={row.severity} />
      </div>
      <div role="gridcell">
        <VerdictBadge verdict={row.verdict} />
      </div>
      <div role="gridcell" title={formText(row.actual)} data-testid="results-row-actual">
        <TargetText text={row.actual} />
      </div>
    </div>
  );
}

export function ResultsTable({ onOpenCheck, onOpenHost, sort, onSort, gridRef }: Props): JSX.Element {
  const key = useStore((s) => s.resultsKey);
  const text = useStore((s) => s.resultQuery?.filter.text.trim() ?? '');
  const entry = useStore((s) => (s.resultsKey ? s.resultCache[s.resultsKey] : undefined));
  const ensureRows = useStore((s) => s.ensureResultRows);
  const total = entry?.total ?? 0;
  const chunks = entry?.chunks ?? NO_CHUNKS;
  const [active, setActive] = useState(0);
  const scrollRef = useRef<HTMLDivElement | null>(null);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total > 0) ensureRows(first, last);
    // After each reply too: rows that were neither loaded nor on their way get their call.
  }, [first, last, total, key, chunks, ensureRows]);

  // A new query starts at its top.
  useEffect(() => {
    setActive(0);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [key]);

  const move = (to: number): void => {
    const i = Math.max(0, Math.min(total - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const visibleRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (total === 0) return;
    const row = rowAt(chunks, active);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + visibleRows),
      PageUp: () => move(active - visibleRows),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => row && onOpenCheck(row),
      h: () => row && onOpenHost(row),
    };
    const act = keys[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  };

  return (
    <div
      className="results-grid"
      role="grid"
      aria-label="Results"
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={total > 0 && rowAt(chunks, active) ? `results-row-${active}` : undefined}
      tabIndex={0}
      ref={gridRef}
      onKeyDown={onKey}
      data-testid="results-table"
      data-total={entry?.total ?? ''}
      data-sort={`${sort.by}:${sort.dir}`}
      data-text={text}
    >
      <div role="row" className="results-row head" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <div
            role="columnheader"
            key={c.label}
            aria-sort={
              c.sort && sort.by === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined
            }
          >
            {c.sort ? (
              <button
                type="button"
                className="link sort"
                tabIndex={-1}
                onClick={() => onSort(c.sort!)}
                data-testid={`results-sort-${c.sort}`}
              >
                {c.label}
                {sort.by === c.sort ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      <div className="results-scroll" ref={scrollRef} data-testid="results-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => (
            <div
              key={v.key}
              className="results-slot"
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              onClick={() => {
                const r = rowAt(chunks, v.index);
                setActive(v.index);
                if (r) onOpenCheck(r);
              }}
            >
              <Row
                row={rowAt(chunks, v.index)}
                index={v.index}
                active={v.index === active}
                onOpenHost={onOpenHost}
              />
            </div>
          ))}
        </div>
        {entry?.total === 0 && (
          <p className="muted results-empty" data-testid="results-empty">
            No result matches these filters.
          </p>
        )}
      </div>
    </div>
  );
}
