/** The frame: a sidebar with the engagement's screens, the notices, and the screen itself. */
import type { JSX, ReactNode } from 'react';
import { useStore } from '../store/index.js';
import type { Screen } from '../store/app.js';
import { Notices } from './Notices.js';
import { SafeText } from './TargetText.js';
import { PersonSwitcher } from '../screens/people/PersonSwitcher.js';

const ENGAGEMENT_SCREENS: { screen: Screen; label: string }[] = [
  { screen: 'hosts', label: 'Hosts' },
  { screen: 'scan', label: 'Scan' },
  { screen: 'results', label: 'Results' },
  { screen: 'dashboard', label: 'Dashboard' },
  { screen: 'access', label: 'Access (AAA)' },
  { screen: 'questions', label: 'Questions' },
  { screen: 'findings', label: 'Findings' },
  { screen: 'waivers', label: 'Waivers' },
  { screen: 'handover', label: 'Hand-over' },
];

/** Screens of the whole workspace, after the engagements. */
const WORKSPACE_NAV: { screen: Screen; label: string }[] = [
  { screen: 'review', label: 'My review queue' },
  { screen: 'audit', label: 'Audit trail' },
];

/** A sidebar entry: opens its screen (in the open engagement for an engagement's screen), marked when current. */
function NavItem({ screen, label }: { screen: Screen; label: string }): JSX.Element {
  const current = useStore((s) => s.route.screen === screen);
  const navigate = useStore((s) => s.navigate);
  return (
    <button
      type="button"
      className={current ? 'nav-item active' : 'nav-item'}
      aria-current={current ? 'page' : undefined}
      data-testid={`nav-${screen}`}
      onClick={() => navigate({ screen })}
    >
      {label}
    </button>
  );
}

export function Layout({ children }: { children: ReactNode }): JSX.Element {
  const route = useStore((s) => s.route);
  const current = useStore((s) => s.current);
  const info = useStore((s) => s.info);
  const session = useStore((s) => s.sessionView);
  const inEngagement = route.engagementId !== null;
  return (
    <div className="layout" data-testid="layout" data-session={session}>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Foureyes</div>
        <PersonSwitcher />
        <NavItem screen="engagements" label="Engagements" />
        {WORKSPACE_NAV.map(({ screen, label }) => (
          <NavItem key={screen} screen={screen} label={label} />
        ))}
        {inEngagement && (
          <div className="nav-group">
            <div className="nav-context" data-testid="nav-engagement-name" title="Open engagement">
              {current && current.id === route.engagementId ? <SafeText text={current.name} /> : '…'}
            </div>
            {ENGAGEMENT_SCREENS.map(({ screen, label }) => (
              <NavItem key={screen} screen={screen} label={label} />
            ))}
          </div>
        )}
        <div className="sidebar-foot" data-testid="app-mode">
          {info ? `${info.version} · ${info.mode === 'browser' ? 'browser mode' : 'desktop'}` : ''}
        </div>
      </nav>
      <main className="content">
        <Notices />
        {children}
      </main>
    </div>
  );
}
