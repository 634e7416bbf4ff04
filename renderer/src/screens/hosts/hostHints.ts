/**
 * Client-side hints for the host form, from the same schemas main validates with. They only guide: the form is
 * still sent, and the backend's answer (which names the field) is what counts.
 */
import { portSentence } from '../../../../shared/api/schemas/sentences.js';
import { AddressSchema, LoginSchema, PortSchema } from '../../../../shared/api/schemas/workspace.js';
import type { Host } from '../../../../shared/api/schemas/workspace.js';
import type { HostFormValues } from './hostFormat.js';

export type HintField = 'name' | 'address' | 'port' | 'user' | 'keyPath';
export type FormHints = Partial<Record<HintField, string>>;

const firstIssue = (r: { success: boolean; error?: { issues: { message: string }[] } }): string | null =>
  r.success ? null : (r.error?.issues[0]?.message ?? 'invalid');

/** Hints for the form's values; `others` are the engagement's other hosts (names must be unique). */
export function formHints(v: HostFormValues, others: readonly Host[]): FormHints {
  const hints: FormHints = {};
  const name = v.name.trim();
  if (name === '') hints.name = 'a name is needed (the inventory name, or the address)';
  else if (name.length > 200) hints.name = 'at most 200 characters';
  else if (others.some((h) => h.name === name)) hints.name = `another host is already called "${name}"`;

  if (v.address.trim() === '') hints.address = 'host name or IP address needed';
  else {
    const issue = firstIssue(AddressSchema.safeParse(v.address));
    if (issue) hints.address = issue;
  }

  const port = v.port.trim();
  if (port !== '' && (!/^\d+$/.test(port) || !PortSchema.safeParse(Number(port)).success))
    hints.port = portSentence(port);

  if (v.user.trim() === '') hints.user = 'login name needed';
  else {
    const issue = firstIssue(LoginSchema.safeParse(v.user));
    if (issue) hints.user = issue;
  }

  if (v.authType === 'key' && v.keyPath.trim() === '') hints.keyPath = 'path of the private key file needed';
  return hints;
}
