/**
 * A finding's notes rendered as Markdown by react-markdown: React elements only (never innerHTML). Raw HTML in a
 * note is shown as the text it is (a remark step turns HTML nodes into text; skipHtml drops anything left), images
 * are shown as their description (no request leaves the workstation), link targets are filtered by react-markdown's
 * safe-scheme filter, and control characters (terminal escapes, bidi overrides) become the same marked `\x1b`
 * escapes as everywhere else (shared/text/escapes.ts through a rehype step over the text nodes).
 */
import type { JSX } from 'react';
import ReactMarkdown from 'react-markdown';
import { rawSegments } from '../../../../shared/text/escapes.js';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** remark: raw HTML (blocks and inline) becomes text, shown as typed. */
function htmlAsText() {
  const walk = (node: MdNode): void => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: MdNode): void => walk(tree);
}

interface HastText {
  type: 'text';
  value: string;
}
interface HastElement {
  type: 'element';
  tagName: string;
  properties: Record<string, unknown>;
  children: HastChild[];
}
type HastChild = HastText | HastElement | { type: string; children?: HastChild[] };

/** rehype: control and format characters in text become marked escape spans (the class and title of SafeText). */
function markControls() {
  const walk = (node: { children?: HastChild[] }): void => {
    if (!node.children) return;
    const out: HastChild[] = [];
    for (const child of node.children) {
      if (child.type === 'text') {
        const text = (child as HastText).value;
        const segs = rawSegments(text, true);
        if (segs.every((s) => s.kind === 'text')) out.push(child);
        else
          for (const s of segs)
            out.push(
              s.kind === 'text'
                ? { type: 'text', value: s.text }
                : {
                    type: 'element',
                    tagName: 'span',
                    properties: { className: ['ctl', `ctl-${s.kind}`], title: s.title, dataEscape: s.kind },
                    children: [{ type: 'text', value: s.text }],
                  },
            );
      } else {
        walk(child as { children?: HastChild[] });
        out.push(child);
      }
    }
    node.children = out;
  };
  return (tree: { children?: HastChild[] }): void => walk(tree);
}

export function Markdown({ text, testId }: { text: string; testId?: string }): JSX.Element {
  return (
    <div className="markdown safe-text" data-testid={testId}>
      <ReactMarkdown
        skipHtml
        remarkPlugins={[htmlAsText]}
        rehypePlugins={[markControls]}
        components={{
          img: ({ alt }) => <span className="md-image">[image: {alt ?? ''}]</span>,
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {children}
            </a>
          ),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
