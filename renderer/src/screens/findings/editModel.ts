/** The editor's form as text fields, and what of it changes the finding (only the fields that differ). */
import type { Finding, FindingEdit, FindingStatus } from '../../../../shared/model/finding.js';
import type { Severity } from '../../../../shared/model/results.js';

export interface Draft {
  title: string;
  severity: Severity;
  status: FindingStatus;
  notes: string;
  recommendation: string;
  tags: string;
  owner: string;
  dueDate: string;
}

export function draftOf(f: Finding): Draft {
  return {
    title: f.title,
    severity: f.severity,
    status: f.status,
    notes: f.notes,
    recommendation: f.recommendation,
    tags: f.tags.join(', '),
    owner: f.customerOwner ?? '',
    dueDate: f.dueDate ?? '',
  };
}

const tagList = (s: string): string[] =>
  s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** What the draft changes of the finding (only the fields that differ). */
export function changesOf(f: Finding, d: Draft): FindingEdit {
  const c: FindingEdit = {};
  if (d.title !== f.title) c.title = d.title;
  if (d.severity !== f.severity) c.severity = d.severity;
  if (d.status !== f.status) c.status = d.status;
  if (d.notes !== f.notes) c.notes = d.notes;
  if (d.recommendation !== f.recommendation) c.recommendation = d.recommendation;
  const tags = tagList(d.tags);
  if (tags.join('\n') !== f.tags.join('\n')) c.tags = tags;
  const owner = d.owner.trim() ? d.owner.trim() : null;
  if (owner !== f.customerOwner) c.customerOwner = owner;
  const due = d.dueDate ? d.dueDate : null;
  if (due !== f.dueDate) c.dueDate = due;
  return c;
}
