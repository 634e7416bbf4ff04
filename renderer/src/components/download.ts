/** Saving bytes main gave (in base64) as a file: a data: URL typed application/octet-stream, never rendered. */
export function dataHref(contentBase64: string): string {
  return `data:application/octet-stream;base64,${contentBase64}`;
}

/** Offers `href` to the user as a download named `name` (the browser's or Electron's save path). */
export function saveAs(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
