/** The workstation: boots the store, follows the address (#/screen/engagement/scan) and shows one screen. */
import { useEffect, type JSX } from 'react';
import { useStore } from './store/index.js';
import { WORKSPACE_SCREENS, routeFromHash } from './store/app.js';
import { Layout } from './components/Layout.js';
import { EngagementsScreen } from './screens/EngagementsScreen.js';
import { HostsScreen } from './screens/HostsScreen.js';
import { ScanScreen } from './screens/ScanScreen.js';
import { ResultsScreen } from './screens/ResultsScreen.js';
import { DashboardScreen } from './screens/DashboardScreen.js';
import { EngagementMissing } from './screens/EngagementMissing.js';
import { FindingsScreen } from './screens/FindingsScreen.js';
import { ReviewQueueScreen } from './screens/ReviewQueueScreen.js';
import { AuditScreen } from './screens/AuditScreen.js';
import { WaiversScreen } from './screens/WaiversScreen.js';
import { HandoverScreen } from './screens/HandoverScreen.js';
import { AccessScreen } from './screens/AccessScreen.js';
import { QuestionsScreen } from './screens/QuestionsScreen.js';
import { SignInPanel } from './screens/people/SignInPanel.js';
import { ApprovalDialog } from './screens/findings/ApprovalDialog.js';

function CurrentScreen(): JSX.Element {
  const screen = useStore((s) => s.route.screen);
  const engagementId = useStore((s) => s.route.engagementId);
  const missing = useStore((s) => s.currentError);
  // An engagement that could not be opened: say why and lead back, rather than an empty screen that offers actions.
  if (!WORKSPACE_SCREENS.includes(screen) && engagementId !== null && missing?.engagementId === engagementId)
    return <EngagementMissing engagementId={engagementId} message={missing.message} />;
  switch (screen) {
    case 'engagements':
      return <EngagementsScreen />;
    case 'hosts':
      return <HostsScreen />;
    case 'scan':
      return <ScanScreen />;
    case 'results':
      return <ResultsScreen />;
    case 'dashboard':
      return <DashboardScreen />;
    case 'access':
      return <AccessScreen />;
    case 'questions':
      return <QuestionsScreen />;
    case 'findings':
      return <FindingsScreen />;
    case 'review':
      return <ReviewQueueScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'waivers':
      return <WaiversScreen />;
    case 'handover':
      return <HandoverScreen />;
  }
}

export function App(): JSX.Element {
  const boot = useStore((s) => s.boot);
  const engagementId = useStore((s) => s.route.engagementId);
  const current = useStore((s) => s.current);
  const loadCurrent = useStore((s) => s.loadCurrent);
  const loadSession = useStore((s) => s.loadSession);
  const asking = useStore((s) => s.sessionView === 'asking');
  useEffect(() => {
    void boot();
    void loadSession();
    const onPop = (): void => useStore.setState({ route: routeFromHash(window.location.hash) });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [boot, loadSession]);
  useEffect(() => {
    if (engagementId && current?.id !== engagementId) void loadCurrent(engagementId);
  }, [engagementId, current, loadCurrent]);
  return (
    <Layout>
      <CurrentScreen />
      <ApprovalDialog />
      {asking && <SignInPanel />}
    </Layout>
  );
}
