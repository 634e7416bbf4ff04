/**
 * Notes in Markdown: rendered by react-markdown to elements, raw HTML shown as text, images as their description,
 * unsafe link schemes dropped, control characters as the marked escapes of every other view.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../../../renderer/src/screens/findings/Markdown.js';

const html = (text: string): string => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown notes', () => {
  it('renders Markdown as elements', () => {
    const out = html('# Root login\n\nRoot can log in on **db01**.\n\n- one\n- two');
    expect(out).toContain('<h1>Root login</h1>');
    expect(out).toContain('<strong>db01</strong>');
    expect(out).toContain('<li>one</li>');
  });

  it('shows raw HTML as the text it is, never as an element', () => {
    const out = html('before <img src=x onerror="alert(1)"> after\n\n<script>alert(2)</script>\n\n<b>bold?</b>');
    expect(out).not.toMatch(/<img|<script|<b>/);
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(out).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('shows an image as its description and drops javascript: links', () => {
    const out = html('![diagram](http://example.org/x.png) [click](javascript:alert(1))');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('example.org');
    expect(out).toContain('[image: diagram]');
    expect(out).not.toContain('javascript:');
  });

  it('marks control and format characters as escapes', () => {
    const out = html('red \x1b[31mtext\x1b[0m and \u202eevil');
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\u202e');
    expect(out).toMatch(/<span class="ctl ctl-char" title="[^"]*ESC, a control character" data-escape="char">\\x1b<\/span>/);
    expect(out).toContain('data-escape="char">\\u202e</span>');
  });
});
