/** Hosts of the open engagement. */
import { useEffect, type JSX } from 'react';
import { useStore } from '../store/index.js';
import { SafeText } from '../components/SafeText.js';

export function HostsScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const hosts = useStore((s) => s.hosts);
  const loadHosts = useStore((s) => s.loadHosts);
  useEffect(() => {
    if (engagementId) void loadHosts(engagementId);
  }, [engagementId, loadHosts]);
  return (
    <section className="screen" data-testid="screen-hosts">
      <header className="screen-head">
        <h1>Hosts</h1>
      </header>
      <table className="table" data-testid="host-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Address</th>
            <th>User</th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((h) => (
            <tr key={h.id} data-testid="host-row">
              <td>
                <SafeText text={h.name} />
              </td>
              <td>{`${h.address}:${h.port}`}</td>
              <td>{h.user}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
