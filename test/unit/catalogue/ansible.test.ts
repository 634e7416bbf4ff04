/**
 * Every check's Ansible remediation parses as a list (or one) of tasks, each naming exactly one module by its
 * fully qualified collection name, and every task that edits a file with a checker validates it.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';

const KEYWORDS = new Set([
  'name',
  'register',
  'when',
  'loop',
  'loop_control',
  'notify',
  'changed_when',
  'failed_when',
  'become',
  'tags',
  'vars',
  'ignore_errors',
  'check_mode',
  'no_log',
  'args',
  'with_items',
  'environment',
]);
const FQCN = /^(ansible\.builtin|ansible\.posix|community\.general)\.[a-z_]+$/;
const EDITS = new Set([
  'ansible.builtin.lineinfile',
  'ansible.builtin.blockinfile',
  'ansible.builtin.copy',
  'ansible.builtin.template',
  'ansible.builtin.replace',
]);
const CHECKERS: [RegExp, RegExp][] = [
  [/^\/etc\/ssh\/sshd_config$/, /sshd -t -f %s/],
  [/^\/etc\/sudoers(\.d\/.*)?$/, /visudo -cf %s/],
];

const catalogue = loadCatalogue();

describe('Ansible remediation', () => {
  for (const c of catalogue.checks.filter((x) => x.remediation.ansible !== undefined)) {
    it(`${c.id}: FQCN modules, validate: where the file has a checker`, () => {
      const doc = parse(c.remediation.ansible ?? '') as unknown;
      const tasks = (Array.isArray(doc) ? doc : [doc]) as Record<string, unknown>[];
      expect(tasks.length).toBeGreaterThan(0);
      for (const t of tasks) {
        const modules = Object.keys(t).filter((k) => !KEYWORDS.has(k));
        expect(modules, JSON.stringify(t)).toHaveLength(1);
        const mod = modules[0] ?? '';
        expect(mod).toMatch(FQCN);
        const args = t[mod] as Record<string, unknown> | string;
        if (EDITS.has(mod) && typeof args === 'object' && (args.state ?? 'present') === 'present') {
          const path = String(args.path ?? args.dest ?? '');
          for (const [file, checker] of CHECKERS)
            if (file.test(path)) expect(String(args.validate ?? ''), `${mod} ${path}`).toMatch(checker);
        }
      }
    });
  }
});
