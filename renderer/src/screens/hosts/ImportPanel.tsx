/**
 * Inventory import: choose a source, read a file (or paste), preview with a dry run (parsed hosts and every
 * problem with its line), then import exactly what was previewed. File content is untrusted: shown as text only.
 */
import { useState, type ChangeEvent, type JSX } from 'react';
import {
  IMPORT_SOURCES,
  MAX_IMPORT_CHARS,
  type ImportSource,
} from '../../../../shared/api/schemas/workspace.js';
import { SafeText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';
import type { HostImportResult } from '../../store/hosts.js';
import { IMPORT_SOURCE_LABELS, authLabel, guessImportSource } from './hostFormat.js';

const MIB = 1024 * 1024;

function tooLarge(what: string, amount: number, unit: 'characters' | 'bytes'): string {
  return (
    `${what} has ${(amount / MIB).toFixed(1)} M ${unit}; at most ${MAX_IMPORT_CHARS / MIB} M characters can be ` +
    'imported at once. Split the inventory and import it in parts.'
  );
}

function Problems({ errors }: { errors: HostImportResult['errors'] }): JSX.Element | null {
  if (errors.length === 0) return null;
  return (
    <div className="host-import-problems">
      <h3>
        {errors.length} {errors.length === 1 ? 'problem' : 'problems'} (each message says what was skipped or
        changed)
      </h3>
      <ul data-testid="host-import-errors">
        {errors.map((e, i) => (
          <li key={i} data-testid="host-import-error" data-line={e.line ?? ''}>
            <span className="host-import-line">{e.line === null ? 'file' : `line ${e.line}`}</span>{' '}
            <SafeText text={e.message} />
          </li>
        ))}
      </ul>
    </div>
  );
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The reply lists the first hosts only (MAX_IMPORT_LISTED): say how many more there are. */
function NotListed({ listed, total }: { listed: number; total: number }): JSX.Element | null {
  if (listed >= total) return null;
  return (
    <p className="muted small" data-testid="host-import-not-listed">
      The first {count(listed)} are listed; {count(total - listed)} more are not.
    </p>
  );
}

function ParsedHosts({ hosts }: { hosts: HostImportResult['hosts'] }): JSX.Element {
  return (
    <table className="table host-import-table" data-testid="host-import-hosts">
      <thead>
        <tr>
          <th>Name</th>
          <th>Address</th>
          <th>User</th>
          <th>Auth</th>
          <th>Tags</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => (
          <tr key={h.name} data-testid="host-import-host" data-name={h.name}>
            <td>
              <SafeText text={h.name} />
            </td>
            <td>
              <SafeText text={`${h.address}:${h.port}`} />
            </td>
            <td>
              <SafeText text={h.user} />
            </td>
            <td>
              <SafeText text={authLabel(h.auth)} />
            </td>
            <td>
              <SafeText text={h.tags.join(', ')} />
            </td>
          </tr>
        ))}
        {hosts.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              No usable host in this inventory.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function ImportPanel({
  engagementId,
  onClose,
}: {
  engagementId: string;
  onClose(): void;
}): JSX.Element {
  const state = useStore((s) => s.hostImport);
  const previewImport = useStore((s) => s.previewImport);
  const runImport = useStore((s) => s.runImport);
  const resetImport = useStore((s) => s.resetImport);
  const [source, setSource] = useState<ImportSource>('csv');
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);

  const preview = state.preview;
  // The preview belongs to exactly this source and text; any edit asks for a new one.
  const fresh = preview !== null && preview.source === source && preview.content === content;
  const oversize = content.length > MAX_IMPORT_CHARS;
  const sizeProblem = fileProblem ?? (oversize ? tooLarge('The text', content.length, 'characters') : null);

  const chooseFile = async (ev: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = ev.target.files?.[0];
    ev.target.value = '';
    if (!file) return;
    setFileProblem(null);
    // A UTF-8 character is at most 4 bytes: a file this large is certainly too long, so it is not even read.
    if (file.size > MAX_IMPORT_CHARS * 4) {
      setFileProblem(tooLarge(`"${file.name}"`, file.size, 'bytes'));
      return;
    }
    const text = await file.text();
    if (text.length > MAX_IMPORT_CHARS) {
      setFileProblem(tooLarge(`"${file.name}"`, text.length, 'characters'));
      return;
    }
    const guessed = guessImportSource(file.name);
    if (guessed) setSource(guessed);
    setFileName(file.name);
    setContent(text);
  };

  const close = (): void => {
    resetImport();
    onClose();
  };

  const done = state.done;
  return (
    <section className="panel host-import" data-testid="host-import-panel" aria-label="Import hosts">
      <header className="host-import-head">
        <h2>Import hosts</h2>
        <button type="button" className="link" onClick={close} data-testid="host-import-close">
          Close
        </button>
      </header>
      <div className="form-grid">
        <label>
          Format
          <select
            value={source}
            onChange={(e) => setSource(e.target.value as ImportSource)}
            data-testid="host-import-source"
          >
            {IMPORT_SOURCES.map((s) => (
              <option key={s} value={s}>
                {IMPORT_SOURCE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Inventory file
          <input type="file" onChange={(e) => void chooseFile(e)} data-testid="host-import-file" />
        </label>
        <label className="wide">
          {fileName ? (
            <span>
              Content of <SafeText text={fileName} /> ({content.length} characters; you may edit it)
            </span>
          ) : (
            'Or paste the inventory'
          )}
          <textarea
            value={content}
            onChange={(e) => setContent(e.target.value)}
            rows={8}
            spellCheck={false}
            placeholder={
              'name,address,port,user,identity,groups\nweb01,10.0.0.5,22,auditor,~/.ssh/id_ed25519,web;dmz'
            }
            data-testid="host-import-text"
          />
        </label>
        {sizeProblem && (
          <p className="wide host-form-error" role="alert" data-testid="host-import-too-large">
            <SafeText text={sizeProblem} />
          </p>
        )}
        <div className="actions">
          <button
            type="button"
            disabled={state.busy || content.trim() === '' || oversize}
            onClick={() => void previewImport(engagementId, source, content, fileName)}
            data-testid="host-import-preview"
          >
            Preview
          </button>
          <button
            type="button"
            className="primary"
            disabled={state.busy || !fresh || preview.result.hostCount === 0}
            onClick={() => void runImport(engagementId)}
            data-testid="host-import-run"
          >
            {fresh
              ? `Import ${count(preview.result.hostCount)} ${preview.result.hostCount === 1 ? 'host' : 'hosts'}`
              : 'Import'}
          </button>
        </div>
      </div>
      {state.error && (
        <p className="host-form-error" role="alert" data-testid="host-import-failure">
          <SafeText text={state.error} />
        </p>
      )}
      {preview && (
        <div
          className="host-import-preview"
          data-testid="host-import-preview-result"
          data-fresh={fresh}
          data-hosts={preview.result.hostCount}
          data-errors={preview.result.errors.length}
        >
          <h3>
            Preview: {count(preview.result.hostCount)} {preview.result.hostCount === 1 ? 'host' : 'hosts'}{' '}
            would be added
            {!fresh && (
              <span className="muted small"> (the text or format changed since: preview again)</span>
            )}
          </h3>
          <ParsedHosts hosts={preview.result.hosts} />
          <NotListed listed={preview.result.hosts.length} total={preview.result.hostCount} />
          <Problems errors={preview.result.errors} />
        </div>
      )}
      {done && (
        <div className="host-import-done" data-testid="host-import-done" data-added={done.addedCount}>
          <h3>
            Added {count(done.addedCount)} {done.addedCount === 1 ? 'host' : 'hosts'}
          </h3>
          <ul className="host-import-added" data-testid="host-import-added">
            {done.added.map((h) => (
              <li key={h.id} data-testid="host-import-added-item" data-name={h.name} data-host-id={h.id}>
                <SafeText text={h.name} />{' '}
                <span className="muted">
                  <SafeText text={`${h.address}:${h.port}`} />
                </span>
              </li>
            ))}
          </ul>
          <NotListed listed={done.added.length} total={done.addedCount} />
          <Problems errors={done.errors} />
        </div>
      )}
    </section>
  );
}
