/**
 * Line numbers for errors in a user's YAML file: the line of the node at a path of the parsed document, so that a
 * message can say `profile.yaml:12: field checks[3].check: ...` instead of leaving the reader to count.
 */
import { isCollection, LineCounter, parseDocument, type Document } from 'yaml';

export interface YamlText {
  doc: Document;
  /** 1-based line of the node at `path` (or of the nearest parent that exists); null when unknown. */
  lineOf(path: readonly PropertyKey[]): number | null;
}

/** Parses `text` keeping node positions. Parse errors are in `doc.errors` (each with `linePos`). */
export function parseYamlWithLines(text: string): YamlText {
  const lc = new LineCounter();
  // Alias expansion is bounded where the document becomes data: doc.toJS({ maxAliasCount }).
  const doc = parseDocument(text, { lineCounter: lc });
  const lineOf = (path: readonly PropertyKey[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const keys = path.slice(0, n).map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
      const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lc.linePos(range[0]).line;
      // A scalar's parent pair: the key's line (a collection reports its own range above).
      if (node !== undefined && !isCollection(node)) continue;
    }
    return null;
  };
  return { doc, lineOf };
}
