/**
 * Setting up a scan: hosts (all chosen by default), checks, secrets where needed (stored ones where the OS keychain
 * can keep them), and one Start button. On the ready "This machine" engagement that is all a newcomer needs to press.
 */
import { useEffect, useMemo, useState, type FormEvent, type JSX } from 'react';
import type { Family, Severity } from '../../../../shared/model/results.js';
import { useStore } from '../../store/index.js';
import { CheckPicker } from './CheckPicker.js';
import { CredentialFields } from './CredentialFields.js';
import { HostPicker } from './HostPicker.js';
import {
  credentialsFor,
  credentialsToRemember,
  familiesOf,
  selectedChecks,
  selectionInput,
  storedByHost,
  type HostSecrets,
} from './setupModel.js';

export function ScanSetup({ engagementId }: { engagementId: string }): JSX.Element {
  const allHosts = useStore((s) => s.hosts);
  const hostsOf = useStore((s) => s.hostsOf);
  const catalogue = useStore((s) => s.catalogue);
  const startScan = useStore((s) => s.startScan);
  const storage = useStore((s) => s.info?.secretStorage ?? null);
  const secretStatus = useStore((s) => s.secretStatus);
  const loadSecretStatus = useStore((s) => s.loadSecretStatus);
  const forgetSecret = useStore((s) => s.forgetSecret);
  const hosts = useMemo(() => (hostsOf === engagementId ? allHosts : []), [allHosts, hostsOf, engagementId]);
  const hostKey = hosts.map((h) => h.id).join(',');

  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [families, setFamilies] = useState<Family[] | null>(null);
  const [minSeverity, setMinSeverity] = useState<Severity>('info');
  const [profile, setProfile] = useState<string | null>(null);
  const [secrets, setSecrets] = useState<Record<string, HostSecrets>>({});
  const [starting, setStarting] = useState(false);

  // A new host list (another engagement, hosts added or removed): every host is chosen again.
  useEffect(() => {
    setChosen(new Set(hostKey ? hostKey.split(',') : []));
    setSecrets({});
  }, [hostKey]);
  // Hosts read again (an address changed may have forgotten a secret): so are the stored secrets.
  useEffect(() => {
    void loadSecretStatus(engagementId);
  }, [engagementId, hosts, loadSecretStatus]);
  const persistent = storage?.persistent === true;
  const stored = useMemo(
    () => storedByHost(secretStatus?.engagementId === engagementId ? secretStatus.stored : [], persistent),
    [secretStatus, engagementId, persistent],
  );

  const checks = catalogue?.checks ?? null;
  const profiles = catalogue?.profiles ?? [];
  const profileChecks = useMemo(() => new Map(profiles.map((p) => [p.id, p.checkIds])), [profiles]);
  const draft = { families: families ?? (checks ? familiesOf(checks) : []), minSeverity, profile, profileChecks };
  const count = checks ? selectedChecks(checks, draft).length : 0;
  const canStart = !starting && chosen.size > 0 && count > 0;

  const submit = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    if (!canStart || !checks) return;
    const hostIds = hosts.filter((h) => chosen.has(h.id)).map((h) => h.id);
    const credentials = credentialsFor(hosts, chosen, secrets);
    const remember = credentialsToRemember(hosts, chosen, secrets, persistent);
    setStarting(true);
    // The secrets leave the form with this call, whatever its outcome.
    setSecrets({});
    await startScan(
      { engagementId, hostIds, selection: selectionInput(checks, draft), credentials },
      remember,
    );
    setStarting(false);
  };

  return (
    <form className="panel scan-setup" onSubmit={(ev) => void submit(ev)} data-testid="scan-setup">
      <div className="scan-setup-grid">
        <HostPicker engagementId={engagementId} hosts={hosts} chosen={chosen} onChange={setChosen} />
        <CheckPicker
          checks={checks}
          profiles={profiles}
          catalogueVersion={catalogue?.version ?? null}
          draft={draft}
          onChange={(d) => {
            setFamilies([...d.families]);
            setMinSeverity(d.minSeverity);
            setProfile(d.profile ?? null);
          }}
        />
      </div>
      <CredentialFields
        hosts={hosts}
        chosen={chosen}
        secrets={secrets}
        stored={stored}
        storage={storage}
        onChange={(id, s) => setSecrets((cur) => ({ ...cur, [id]: s }))}
        onForget={(id, purpose) => void forgetSecret(id, purpose)}
      />
      <div className="actions scan-start-bar">
        <span className="muted" data-testid="scan-plan">
          {chosen.size} {chosen.size === 1 ? 'host' : 'hosts'} × {count} checks
        </span>
        <button type="submit" className="primary big" disabled={!canStart} data-testid="scan-start">
          {starting ? 'Starting…' : 'Start scan'}
        </button>
      </div>
    </form>
  );
}
