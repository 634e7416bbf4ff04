/** A side panel over the results: takes focus when it opens; Escape (handled by the screen) or × closes it. */
import { useEffect, useRef, type JSX, type ReactNode } from 'react';

interface Props {
  testId: string;
  title: string;
  onClose(): void;
  children: ReactNode;
  /** data-* attributes for tests. */
  data?: Record<`data-${string}`, string>;
}

export function DetailDrawer({ testId, title, onClose, children, data }: Props): JSX.Element {
  const ref = useRef<HTMLElement | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [title]);
  return (
    <aside
      className="detail-drawer"
      role="dialog"
      aria-label={title}
      tabIndex={-1}
      ref={ref}
      data-testid={testId}
      {...data}
    >
      <header className="detail-head">
        <h2>{title}</h2>
        <button
          type="button"
          className="detail-close"
          onClick={onClose}
          aria-label="Close"
          data-testid={`${testId}-close`}
        >
          ×
        </button>
      </header>
      <div className="detail-body">{children}</div>
    </aside>
  );
}
