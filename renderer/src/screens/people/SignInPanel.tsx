/**
 * Who are you: the workstation's people to choose from with a passphrase, "add a person" (name, role, email, the
 * passphrase twice), and "continue without signing in" for read-only use. Shown at start while nobody is signed in,
 * and from the person switcher. Refusals are the backend's sentences, shown here; passphrases stay in this form.
 */
import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import { SafeText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';

function AddPerson({ onDone }: { onDone(personId: string): void }): JSX.Element {
  const addPerson = useStore((s) => s.addPerson);
  const busy = useStore((s) => s.sessionBusy);
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [email, setEmail] = useState('');
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState<string | null>(null);
  const submit = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    if (pass !== again) {
      setMismatch('The two passphrases differ: type the same passphrase twice.');
      return;
    }
    setMismatch(null);
    const p = await addPerson({ name, role, email, passphrase: pass });
    if (p) {
      setPass('');
      setAgain('');
      onDone(p.id);
    }
  };
  return (
    <form className="form-grid signin-add" onSubmit={(ev) => void submit(ev)} data-testid="person-add-form">
      <h3 className="wide">Add a person</h3>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} data-testid="person-add-name" />
      </label>
      <label>
        Role
        <input value={role} onChange={(e) => setRole(e.target.value)} required maxLength={100} data-testid="person-add-role" />
      </label>
      <label className="wide">
        Email
        <input
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          maxLength={200}
          data-testid="person-add-email"
        />
      </label>
      <label>
        Passphrase (8 characters at least)
        <input
          type="password"
          autoComplete="new-password"
          value={pass}
          onChange={(e) => setPass(e.target.value)}
          required
          data-testid="person-add-passphrase"
        />
      </label>
      <label>
        Passphrase again
        <input
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          required
          data-testid="person-add-passphrase-again"
        />
      </label>
      {mismatch && (
        <p className="form-error wide" role="alert" data-testid="person-add-mismatch">
          {mismatch}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="person-add-submit">
          Add person
        </button>
      </div>
    </form>
  );
}

export function SignInPanel(): JSX.Element {
  const people = useStore((s) => s.people);
  const me = useStore((s) => s.me);
  const error = useStore((s) => s.sessionError);
  const busy = useStore((s) => s.sessionBusy);
  const signIn = useStore((s) => s.signIn);
  const forgetKey = useStore((s) => s.forgetKey);
  const keychain = useStore((s) => s.keychain);
  const sealed = useStore((s) => s.sealed);
  const [remember, setRemember] = useState(false);
  const continueReadOnly = useStore((s) => s.continueReadOnly);
  const local = people.filter((p) => p.origin === 'local');
  const [chosen, setChosen] = useState<string>(me?.id ?? local[0]?.id ?? '');
  const [pass, setPass] = useState('');
  const [adding, setAdding] = useState(local.length === 0);
  const passRef = useRef<HTMLInputElement | null>(null);
  const someoneSignedIn = me !== null;
  useEffect(() => {
    if (!local.some((p) => p.id === chosen) && local[0]) setChosen(local[0].id);
  }, [local, chosen]);
  const submit = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    if (!chosen) return;
    const ok = await signIn(chosen, pass, keychain && remember);
    setPass('');
    if (!ok) passRef.current?.focus();
  };
  // Once people exist, a new person is added by someone signed in (main refuses it otherwise, naming why).
  const canAdd = local.length === 0 || someoneSignedIn;
  return (
    <div className="signin-backdrop">
      <section className="panel signin" role="dialog" aria-modal="true" aria-label="Who is acting" data-testid="signin-panel">
        <h2>Who is acting?</h2>
        <p className="muted small">
          Findings, reviews and the audit trail are signed by the person signed in. Your passphrase unlocks your
          signing key for this run of the workstation only.
        </p>
        {local.length > 0 && (
          <form onSubmit={(ev) => void submit(ev)} className="signin-form" data-testid="signin-form">
            <ul className="signin-people" data-testid="signin-people">
              {local.map((p) => (
                <li key={p.id}>
                  <label className="inline" data-testid="signin-person" data-person={p.name}>
                    <input
                      type="radio"
                      name="signin-person"
                      checked={chosen === p.id}
                      onChange={() => setChosen(p.id)}
                    />
                    <SafeText text={p.name} /> <span className="muted small">· <SafeText text={p.role} /></span>
                    {me?.id === p.id && <span className="badge state-done">signed in</span>}
                  </label>
                </li>
              ))}
            </ul>
            <label>
              Passphrase
              <input
                ref={passRef}
                autoFocus
                type="password"
                autoComplete="current-password"
                value={pass}
                onChange={(e) => setPass(e.target.value)}
                required
                data-testid="signin-passphrase"
              />
            </label>
            {keychain && (
              <label className="inline small">
                <input
                  type="checkbox"
                  checked={remember}
                  onChange={(e) => setRemember(e.target.checked)}
                  data-testid="signin-remember"
                />{' '}
                Remember me on this computer (the operating system's keychain keeps a copy of my key)
              </label>
            )}
            <div className="actions">
              <button type="submit" className="primary" disabled={busy || !chosen} data-testid="signin-submit">
                Sign in
              </button>
              {keychain && sealed.includes(chosen) && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void signIn(chosen, null)}
                  data-testid="signin-keychain"
                >
                  Sign in with this computer's keychain
                </button>
              )}
              {keychain && me !== null && me.id === chosen && sealed.includes(chosen) && (
                <button type="button" className="link" onClick={() => void forgetKey(chosen)} data-testid="signin-forget">
                  Forget my key on this computer
                </button>
              )}
            </div>
          </form>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="signin-error">
            <SafeText text={error} />
          </p>
        )}
        {canAdd ? (
          adding ? (
            <AddPerson
              onDone={(id) => {
                setChosen(id);
                setAdding(false);
              }}
            />
          ) : (
            <button type="button" className="link" onClick={() => setAdding(true)} data-testid="person-add-open">
              Add a person
            </button>
          )
        ) : (
          <p className="muted small" data-testid="person-add-note">
            A new person is added by someone signed in.
          </p>
        )}
        <div className="signin-foot">
          <button type="button" onClick={continueReadOnly} data-testid="signin-continue">
            {someoneSignedIn ? `Stay signed in as ${me.name}` : 'Continue without signing in (read-only)'}
          </button>
        </div>
      </section>
    </div>
  );
}
