/** Always in the layout: who is acting, with "switch" (the sign-in panel) and "sign out". */
import type { JSX } from 'react';
import { SafeText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';

export function PersonSwitcher(): JSX.Element {
  const me = useStore((s) => s.me);
  const view = useStore((s) => s.sessionView);
  const askWho = useStore((s) => s.askWho);
  const signOut = useStore((s) => s.signOut);
  return (
    <div className="person-switcher" data-testid="person-switcher" data-person={me?.name ?? ''} data-session={view}>
      <div className="small muted">Acting as</div>
      <div className="person-name" data-testid="person-current">
        {me ? <SafeText text={me.name} /> : <span className="muted">nobody (read-only)</span>}
      </div>
      <div className="person-actions">
        <button type="button" className="link" onClick={askWho} data-testid="person-switch">
          {me ? 'Switch' : 'Sign in'}
        </button>
        {me && (
          <button type="button" className="link" onClick={() => void signOut()} data-testid="person-sign-out">
            Sign out
          </button>
        )}
      </div>
    </div>
  );
}
