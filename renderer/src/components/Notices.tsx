/**
 * Errors and notes from actions, newest last; each names where it happened. Dismissable, announced to readers. A
 * message may quote a target or a file: shown through TargetText.
 */
import type { JSX } from 'react';
import { useStore } from '../store/index.js';
import { TargetText } from './TargetText.js';

export function Notices(): JSX.Element | null {
  const notices = useStore((s) => s.notices);
  const dismiss = useStore((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} data-testid={`notice-${n.kind}`}>
          <strong>{n.where}:</strong> <TargetText text={n.message} className="notice-message" />
          <button type="button" className="link" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
