/**
 * JUnit XML of one scan (for CI test reports): a testsuite per host run, a testcase per check. A fail is a
 * `failure` (type: its severity), an evaluation error an `error`, not applicable, manual and waived are `skipped`
 * with a message saying which and why; a host run that did not finish has one `error` testcase per check of the
 * scan, naming its state and reason. A failure's text holds the reason, expected, found and the evidence; the
 * suite's system-out holds the target's identity and the same text for every result that is not a failure, and
 * system-err a failed run's reason. Built with xmlbuilder2 (escaping is the builder's) and serialised with its
 * well-formedness check; every text goes through xmlText first, so nothing XML forbids reaches it. The shape is
 * the Ant JUnit schema's (test/data/schemas/JUnit.xsd): properties, testcases, system-out, system-err, in order.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { resultText, titleOf, xmlText as shown } from './common.js';
import type { ExportHostRun, ExportResult, ScanExportData } from './data.js';

/**
 * A value for the builder: the text as XML can hold it (common.ts), every `&` written as `&amp;` here. xmlbuilder2
 * escapes `<` and `>` but leaves an `&` that looks like the start of an entity or character reference (`&amp;`,
 * `&#0;`, `&foo;`) as it is, which would let a target's text decode to something else, refer to an undefined
 * entity or to a character XML forbids. After this step every `&` it sees is followed by `amp;`, which it keeps,
 * so each reads back as one `&` (test/unit/export/formats.test.ts checks the round trip).
 */
const xmlText = (s: string): string => shown(s).replace(/&/g, '&amp;');

/** `YYYY-MM-DDTHH:MM:SS` (UTC; the schema takes no zone). */
const stamp = (iso: string): string => iso.slice(0, 19);

function seconds(h: ExportHostRun): string {
  const { startedAt, finishedAt } = h.run;
  if (!startedAt || !finishedAt) return '0';
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0';
}

const SKIP_WORDS = { not_applicable: 'not applicable', manual: 'manual (a person must check)', waived: 'waived' } as const;

function testcase(suite: XMLBuilder, d: ScanExportData, host: string, r: ExportResult): 'pass' | 'failure' | 'error' | 'skipped' {
  const tc = suite.ele('testcase').att('name', xmlText(r.checkId)).att('classname', xmlText(host)).att('time', '0');
  const title = titleOf(d.checks, r.checkId);
  if (r.shown === 'fail') {
    tc.ele('failure').att('message', xmlText(title)).att('type', r.severity).txt(xmlText(resultText(r)));
    return 'failure';
  }
  if (r.shown === 'error') {
    tc.ele('error').att('message', xmlText(`${title}: ${r.reason}`)).att('type', 'evaluation_error').txt(xmlText(resultText(r)));
    return 'error';
  }
  if (r.shown === 'pass') return 'pass';
  const why = r.shown === 'waived' && r.waiver ? `waived until ${r.waiver.expiresOn}: ${r.waiver.reason}` : `${SKIP_WORDS[r.shown]}: ${r.reason}`;
  tc.ele('skipped').att('message', xmlText(why));
  return 'skipped';
}

/** The JUnit XML text of a scan, ending with a newline. */
export function toJunit(d: ScanExportData): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele('testsuites');
  d.hostRuns.forEach((h, i) => {
    const host = h.run.hostName;
    const counts = { tests: 0, failure: 0, error: 0, skipped: 0 };
    const suite = root
      .ele('testsuite')
      .att('package', 'foureyes')
      .att('id', String(i))
      .att('name', xmlText(host))
      .att('timestamp', stamp(h.run.startedAt ?? d.scan.startedAt))
      .att('hostname', xmlText(host));
    const props = suite.ele('properties');
    const prop = (name: string, value: string | null | undefined) => {
      if (value !== null && value !== undefined) props.ele('property').att('name', name).att('value', xmlText(value));
    };
    prop('foureyes.engagement', d.engagement.name);
    prop('foureyes.scan', d.scan.id);
    prop('foureyes.catalogue', d.scan.catalogueVersion);
    prop('foureyes.host.state', h.run.state);
    prop('foureyes.host.source', h.run.source);
    prop('foureyes.host.privilege', h.run.privilege);
    for (const [k, v] of Object.entries(h.run.identity ?? {})) if (typeof v === 'string') prop(`foureyes.target.${k}`, v);
    const out: string[] = [];
    if (h.run.state === 'done') {
      for (const r of h.results) {
        const kind = testcase(suite, d, host, r);
        counts.tests += 1;
        if (kind !== 'pass') counts[kind] += 1;
        if (kind !== 'failure') out.push(`[${r.shown}] ${r.checkId}: ${titleOf(d.checks, r.checkId)}\n${resultText(r)}`);
      }
    } else {
      const why = `not assessed: the host run ended ${h.run.state}${h.run.stoppedIn ? ` while ${h.run.stoppedIn}` : ''}${
        h.run.error ? `: ${h.run.error.message}` : ''
      }`;
      for (const checkId of d.scan.checkIds) {
        suite
          .ele('testcase')
          .att('name', xmlText(checkId))
          .att('classname', xmlText(host))
          .att('time', '0')
          .ele('error')
          .att('message', xmlText(why))
          .att('type', `host_${h.run.state}`)
          .txt(xmlText(why));
        counts.tests += 1;
        counts.error += 1;
      }
    }
    suite.ele('system-out').txt(xmlText(out.join('\n\n')));
    suite.ele('system-err').txt(xmlText(h.run.error ? `${h.run.error.code}: ${h.run.error.message}` : ''));
    suite
      .att('tests', String(counts.tests))
      .att('failures', String(counts.failure))
      .att('errors', String(counts.error))
      .att('skipped', String(counts.skipped))
      .att('time', seconds(h));
  });
  return `${doc.end({ prettyPrint: true, wellFormed: true })}\n`;
}
