/**
 * A finding's attachments: upload through a file input (main types the file by its content and caps its size; a
 * refusal is shown here in its words), the list with type, size and hash, download, remove.
 */
import { useRef, type JSX } from 'react';
import { ATTACHMENT_TYPES } from '../../../../shared/model/finding.js';
import { SafeText } from '../../components/TargetText.js';
import { saveAs } from '../../components/download.js';
import { formatTime } from '../../components/format.js';
import { useStore } from '../../store/index.js';
import type { FindingDetail } from '../../store/finding.js';

export function Attachments({ detail, readOnly }: { detail: FindingDetail; readOnly: boolean }): JSX.Element {
  const me = useStore((s) => s.me);
  const busy = useStore((s) => s.findingBusy);
  const error = useStore((s) => s.attachmentError);
  const attach = useStore((s) => s.attachFile);
  const detach = useStore((s) => s.detachAttachment);
  const download = useStore((s) => s.attachmentDownload);
  const input = useRef<HTMLInputElement | null>(null);
  const locked = readOnly || me === null;
  return (
    <div className="attachments" data-testid="finding-attachments">
      {detail.attachments.length > 0 ? (
        <ul>
          {detail.attachments.map((a) => (
            <li key={a.id} data-testid="finding-attachment" data-name={a.name} data-type={a.mediaType}>
              <SafeText text={a.name} />{' '}
              <span className="muted small">
                {a.mediaType}, {a.size.toLocaleString('en-US')} bytes, added {formatTime(a.addedAt)} · sha256{' '}
                <code title={a.sha256}>{a.sha256.slice(0, 12)}…</code>
              </span>{' '}
              <button
                type="button"
                className="link"
                onClick={() =>
                  void download(a.id).then((d) => {
                    if (d) saveAs(d.href, d.name);
                  })
                }
                data-testid="finding-attachment-download"
              >
                Download
              </button>{' '}
              {!locked && (
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() => {
                    if (window.confirm(`Remove "${a.name}" from this finding?`)) void detach(a.id);
                  }}
                  data-testid="finding-attachment-remove"
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No attachments.</p>
      )}
      {!locked && (
        <label className="attach-input">
          Attach a file <span className="muted small">(PNG, JPEG, GIF, WebP, PDF or plain text; typed by content)</span>
          <input
            ref={input}
            type="file"
            accept={ATTACHMENT_TYPES.join(',')}
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void attach(file).finally(() => input.current && (input.current.value = ''));
            }}
            data-testid="finding-attach"
          />
        </label>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="finding-attachment-error">
          <SafeText text={error} />
        </p>
      )}
    </div>
  );
}
