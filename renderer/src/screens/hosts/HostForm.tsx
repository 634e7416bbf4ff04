/** Add or edit one host. Hints come from the shared schemas; the backend's refusal is shown beside the form. */
import { useEffect, useMemo, useState, type FormEvent, type JSX, type ReactNode } from 'react';
import type { Host } from '../../../../shared/api/schemas/workspace.js';
import { SafeText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';
import {
  EMPTY_FORM,
  changedFields,
  formFromHost,
  hostFieldsFromForm,
  type AuthType,
  type HostFormValues,
} from './hostFormat.js';
import { formHints, type HintField } from './hostHints.js';

interface Props {
  engagementId: string;
  /** The engagement's hosts read so far (for the jump host choice and the unique-name hint; the backend has the last word). */
  hosts: readonly Host[];
  /** The host being edited; null to add one. */
  editing: Host | null;
  onClose(): void;
}

function Field(props: {
  label: string;
  hint: string | undefined;
  wide?: boolean;
  children: ReactNode;
  id: string;
}): JSX.Element {
  return (
    <div className={props.wide ? 'wide host-field' : 'host-field'}>
      <label>
        {props.label}
        {props.children}
      </label>
      {props.hint && (
        <span className="host-hint" id={`host-${props.id}-hint`} data-testid={`host-hint-${props.id}`}>
          {props.hint}
        </span>
      )}
    </div>
  );
}

export function HostForm({ engagementId, hosts, editing, onClose }: Props): JSX.Element {
  const addHost = useStore((s) => s.addHost);
  const updateHost = useStore((s) => s.updateHost);
  const backendError = useStore((s) => s.hostFormError);
  const clearError = useStore((s) => s.clearHostFormError);
  /** A refusal of the form itself (a port that is not a number), shown where the backend's would be. */
  const [formError, setFormError] = useState<string | null>(null);
  const error = formError ?? backendError;
  const [v, setV] = useState<HostFormValues>(() => (editing ? formFromHost(editing) : EMPTY_FORM));
  const [touched, setTouched] = useState<Partial<Record<HintField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const jumpNames = useStore((s) => s.jumpHostNames);
  const others = useMemo(() => hosts.filter((h) => h.id !== editing?.id), [hosts, editing]);
  // The host's jump host may be on a page of the list not read yet: it stays a choice, by its name.
  const unreadJump = v.jumpHostId !== '' && !others.some((h) => h.id === v.jumpHostId) ? v.jumpHostId : null;
  const hints = formHints(v, others);
  const shown = (f: HintField): string | undefined => (touched[f] || submitted ? hints[f] : undefined);

  useEffect(() => clearError, [clearError]);

  const set =
    <K extends keyof HostFormValues>(k: K) =>
    (value: HostFormValues[K]): void =>
      setV((cur) => ({ ...cur, [k]: value }));
  const touch = (f: HintField) => (): void => setTouched((t) => ({ ...t, [f]: true }));
  const aria = (f: HintField): { 'aria-invalid'?: boolean; 'aria-describedby'?: string } =>
    shown(f) ? { 'aria-invalid': true, 'aria-describedby': `host-${f}-hint` } : {};

  const submit = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    setSubmitted(true);
    const reading = hostFieldsFromForm(v);
    if (!reading.ok) {
      clearError();
      setFormError(reading.message);
      return;
    }
    setFormError(null);
    const { fields } = reading;
    setBusy(true);
    let ok: Host | null;
    if (editing) {
      const changes = changedFields(editing, fields);
      ok = Object.keys(changes).length === 0 ? editing : await updateHost(editing.id, changes);
    } else {
      ok = await addHost(engagementId, fields);
    }
    setBusy(false);
    if (ok) onClose();
  };

  const addressChanged =
    editing !== null &&
    editing.pinnedFingerprint !== null &&
    (v.address.trim() !== editing.address || v.port.trim() !== String(editing.port));

  return (
    <form
      className="panel form-grid host-form"
      onSubmit={(ev) => void submit(ev)}
      data-testid="host-form"
      data-mode={editing ? 'edit' : 'add'}
      aria-label={editing ? 'Edit host' : 'Add host'}
      noValidate
    >
      <h2>
        {editing ? (
          <>
            Edit host <SafeText text={editing.name} />
          </>
        ) : (
          'Add host'
        )}
      </h2>
      <Field label="Name" hint={shown('name')} id="name">
        <input
          value={v.name}
          onChange={(e) => set('name')(e.target.value)}
          onBlur={touch('name')}
          maxLength={200}
          required
          {...aria('name')}
          data-testid="host-name"
        />
      </Field>
      <Field label="Address (DNS name or IP)" hint={shown('address')} id="address">
        <input
          value={v.address}
          onChange={(e) => set('address')(e.target.value)}
          onBlur={touch('address')}
          maxLength={253}
          required
          spellCheck={false}
          {...aria('address')}
          data-testid="host-address"
        />
      </Field>
      <Field label="Port" hint={shown('port')} id="port">
        <input
          value={v.port}
          onChange={(e) => set('port')(e.target.value)}
          onBlur={touch('port')}
          inputMode="numeric"
          maxLength={5}
          {...aria('port')}
          data-testid="host-port"
        />
      </Field>
      <Field label="User" hint={shown('user')} id="user">
        <input
          value={v.user}
          onChange={(e) => set('user')(e.target.value)}
          onBlur={touch('user')}
          maxLength={64}
          required
          spellCheck={false}
          {...aria('user')}
          data-testid="host-user"
        />
      </Field>
      <label>
        Authentication
        <select
          value={v.authType}
          onChange={(e) => set('authType')(e.target.value as AuthType)}
          data-testid="host-auth"
        >
          <option value="key">Key file</option>
          <option value="agent">SSH agent</option>
          <option value="password">Password (asked at scan start)</option>
        </select>
      </label>
      {v.authType === 'key' && (
        <Field label="Private key file" hint={shown('keyPath')} id="keyPath" wide>
          <input
            value={v.keyPath}
            onChange={(e) => set('keyPath')(e.target.value)}
            onBlur={touch('keyPath')}
            maxLength={4096}
            spellCheck={false}
            placeholder="/home/me/.ssh/id_ed25519"
            {...aria('keyPath')}
            data-testid="host-key-path"
          />
        </Field>
      )}
      {v.authType === 'agent' && (
        <label className="wide">
          Agent socket (optional; default: SSH_AUTH_SOCK)
          <input
            value={v.socket}
            onChange={(e) => set('socket')(e.target.value)}
            maxLength={4096}
            spellCheck={false}
            data-testid="host-agent-socket"
          />
        </label>
      )}
      {v.authType === 'password' && (
        <p className="wide muted small host-password-note" data-testid="host-password-note">
          The password is never stored. It is asked for when a scan of this host starts.
        </p>
      )}
      <label>
        Jump host
        <select
          value={v.jumpHostId}
          onChange={(e) => set('jumpHostId')(e.target.value)}
          data-testid="host-jump"
        >
          <option value="">None (direct connection)</option>
          {unreadJump && <option value={unreadJump}>{jumpNames[unreadJump] ?? 'a host not shown'}</option>}
          {others.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Privilege
        <select
          value={v.privilege}
          onChange={(e) => set('privilege')(e.target.value as HostFormValues['privilege'])}
          data-testid="host-privilege"
        >
          <option value="auto">auto (sudo when allowed)</option>
          <option value="none">none (unprivileged only)</option>
          <option value="sudo">sudo</option>
        </select>
      </label>
      <label className="wide">
        Tags (comma separated)
        <input
          value={v.tags}
          onChange={(e) => set('tags')(e.target.value)}
          placeholder="web, dmz"
          data-testid="host-tags"
        />
      </label>
      <label className="wide">
        Notes
        <textarea
          value={v.notes}
          onChange={(e) => set('notes')(e.target.value)}
          rows={2}
          maxLength={4000}
          data-testid="host-notes"
        />
      </label>
      {addressChanged && (
        <p className="wide host-warn small" data-testid="host-unpin-note">
          Changing the address or port clears the pinned host key; check and accept it again afterwards.
        </p>
      )}
      {error && (
        <div className="wide host-form-error" role="alert" data-testid="host-form-error">
          <SafeText text={error} />
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={onClose} data-testid="host-cancel">
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="host-save">
          {editing ? 'Save changes' : 'Add host'}
        </button>
      </div>
    </form>
  );
}
