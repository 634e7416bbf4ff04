/**
 * Filters of the results table (applied by the server): severity, family, hosts (multi-select), free text
 * (debounced), and the sort. Verdicts are toggled from the counts above the table.
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import type { HostRunView } from '../../../../shared/api/schemas/scans.js';
import { FAMILIES, SEVERITIES, type Family, type Severity } from '../../../../shared/model/results.js';
import { visibleControls } from '../../components/TargetText.js';
import { toggled, type ResultFilterDraft, type ResultQuery, type SortKey } from './resultsModel.js';

/** Typing settles for this long before the text filter is sent. */
const TEXT_DEBOUNCE_MS = 200;

interface Props {
  filter: ResultFilterDraft;
  sort: ResultQuery['sort'];
  hostRuns: readonly HostRunView[];
  onFilter(next: ResultFilterDraft): void;
  onSort(next: ResultQuery['sort']): void;
}

function Chips<T extends string>({
  name,
  values,
  on,
  toggle,
}: {
  name: string;
  values: readonly T[];
  on: readonly T[];
  toggle(v: T): void;
}): JSX.Element {
  return (
    <fieldset className="chips" data-testid={`results-filter-${name}`}>
      <legend>{name}</legend>
      {values.map((v) => (
        <label key={v} className={on.includes(v) ? 'chip on' : 'chip'}>
          <input
            type="checkbox"
            checked={on.includes(v)}
            onChange={() => toggle(v)}
            data-testid={`results-filter-${name}-${v}`}
          />
          {v}
        </label>
      ))}
    </fieldset>
  );
}

export function ResultFilters({ filter, sort, hostRuns, onFilter, onSort }: Props): JSX.Element {
  const [text, setText] = useState(filter.text);
  const sent = useRef(filter.text);
  // Outside changes (clear filters) reach the box; typing reaches the filter after a pause.
  useEffect(() => {
    if (filter.text === sent.current) return;
    sent.current = filter.text;
    setText(filter.text);
  }, [filter.text]);
  useEffect(() => {
    if (text === filter.text) return;
    const t = setTimeout(() => {
      sent.current = text;
      onFilter({ ...filter, text });
    }, TEXT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, filter, onFilter]);

  const hosts = hostRuns.filter((r): r is HostRunView & { hostId: string } => r.hostId !== null);
  const any =
    filter.verdicts.length + filter.severities.length + filter.families.length + filter.hostIds.length > 0 ||
    filter.text.trim() !== '';
  return (
    <div className="results-filters panel" data-testid="results-filters">
      <label className="results-text">
        Search
        <input
          type="search"
          value={text}
          placeholder="check id, title, host, actual value, reason"
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
          data-testid="results-filter-text"
        />
      </label>
      <Chips<Severity>
        name="severity"
        values={[...SEVERITIES].reverse()}
        on={filter.severities}
        toggle={(v) => onFilter({ ...filter, severities: toggled(filter.severities, v) })}
      />
      <Chips<Family>
        name="family"
        values={FAMILIES}
        on={filter.families}
        toggle={(v) => onFilter({ ...filter, families: toggled(filter.families, v) })}
      />
      <label className="results-hosts">
        Hosts {filter.hostIds.length > 0 && <span>({filter.hostIds.length})</span>}
        <select
          multiple
          size={Math.min(4, Math.max(2, hosts.length))}
          value={filter.hostIds}
          onChange={(e) =>
            onFilter({ ...filter, hostIds: [...e.target.selectedOptions].map((o) => o.value) })
          }
          data-testid="results-filter-host"
        >
          {hosts.map((r) => (
            <option key={r.id} value={r.hostId}>
              {visibleControls(r.hostName, false)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort by
        <select
          value={`${sort.by}:${sort.dir}`}
          onChange={(e) => {
            const [by, dir] = e.target.value.split(':') as [SortKey, 'asc' | 'desc'];
            onSort({ by, dir });
          }}
          data-testid="results-sort"
        >
          <option value="severity:desc">severity, highest first</option>
          <option value="verdict:desc">verdict, worst first</option>
          <option value="host:asc">host, A–Z</option>
          <option value="check:asc">check, A–Z</option>
          <option value="severity:asc">severity, lowest first</option>
          <option value="verdict:asc">verdict, best first</option>
          <option value="host:desc">host, Z–A</option>
          <option value="check:desc">check, Z–A</option>
        </select>
      </label>
      <button
        type="button"
        disabled={!any}
        onClick={() => onFilter({ verdicts: [], severities: [], families: [], hostIds: [], text: '' })}
        data-testid="results-filter-clear"
      >
        Clear filters
      </button>
    </div>
  );
}
