/** Engagements: list (archived on request), create, open, archive. */
import { useEffect, useState, type FormEvent, type JSX } from 'react';
import { useStore } from '../store/index.js';
import { SafeText } from '../components/TargetText.js';
import { formatTime } from '../components/format.js';

function CreateForm(): JSX.Element {
  const createEngagement = useStore((s) => s.createEngagement);
  const openEngagement = useStore((s) => s.openEngagement);
  const [name, setName] = useState('');
  const [customer, setCustomer] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    setBusy(true);
    const e = await createEngagement({
      name,
      ...(customer.trim() ? { customer } : {}),
      ...(description.trim() ? { description } : {}),
    });
    setBusy(false);
    if (e) {
      setName('');
      setCustomer('');
      setDescription('');
      await openEngagement(e.id);
    }
  };
  return (
    <form className="panel form-grid" onSubmit={(ev) => void submit(ev)} data-testid="engagement-create-form">
      <h2>New engagement</h2>
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={200}
          data-testid="engagement-name"
        />
      </label>
      <label>
        Customer
        <input value={customer} onChange={(e) => setCustomer(e.target.value)} maxLength={200} data-testid="engagement-customer" />
      </label>
      <label className="wide">
        Scope and notes
        <textarea
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={4000}
          rows={2}
          data-testid="engagement-description"
        />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !name.trim()} data-testid="engagement-create">
          Create
        </button>
      </div>
    </form>
  );
}

export function EngagementsScreen(): JSX.Element {
  const engagements = useStore((s) => s.engagements);
  const showArchived = useStore((s) => s.showArchived);
  const loading = useStore((s) => s.engagementsLoading);
  const load = useStore((s) => s.loadEngagements);
  const setShowArchived = useStore((s) => s.setShowArchived);
  const openEngagement = useStore((s) => s.openEngagement);
  const archive = useStore((s) => s.archiveEngagement);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="screen" data-testid="screen-engagements">
      <header className="screen-head">
        <h1>Engagements</h1>
        <label className="inline">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(e) => void setShowArchived(e.target.checked)}
            data-testid="engagements-show-archived"
          />
          Show archived
        </label>
      </header>
      <table className="table" data-testid="engagement-list" aria-busy={loading}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Customer</th>
            <th>Created</th>
            <th>State</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {engagements.map((e) => (
            <tr key={e.id} data-testid="engagement-row" data-engagement-id={e.id}>
              <td>
                <button type="button" className="link" onClick={() => void openEngagement(e.id)} data-testid="engagement-open">
                  <SafeText text={e.name} />
                </button>
                {e.description && (
                  <div className="muted small">
                    <SafeText text={e.description} />
                  </div>
                )}
              </td>
              <td>{e.customer ? <SafeText text={e.customer} /> : <span className="muted">—</span>}</td>
              <td>{formatTime(e.createdAt)}</td>
              <td>{e.archivedAt ? <span className="badge state-cancelled">archived</span> : 'active'}</td>
              <td className="row-actions">
                {!e.archivedAt && (
                  <button
                    type="button"
                    onClick={() => {
                      if (window.confirm(`Archive "${e.name}"? It becomes read-only; its data stays.`)) void archive(e.id);
                    }}
                    data-testid="engagement-archive"
                  >
                    Archive
                  </button>
                )}
              </td>
            </tr>
          ))}
          {engagements.length === 0 && !loading && (
            <tr>
              <td colSpan={5} className="muted">
                No engagements yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <CreateForm />
    </section>
  );
}
