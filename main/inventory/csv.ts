import { parse } from 'csv-parse/sync';
import { FoureyesError } from '../../shared/model/errors.js';
import type { InventoryHost, InventoryParse } from './types.js';
import { collect, parsePort } from './validate.js';

const ALIASES: Record<string, keyof InventoryHost | 'ignore'> = {
  name: 'name', host: 'name', hostname: 'name',
  address: 'address', ip: 'address', addr: 'address',
  port: 'port', user: 'user', username: 'user',
  identity: 'identityFile', identityfile: 'identityFile', key: 'identityFile',
  jump: 'jump', proxyjump: 'jump', jumphost: 'jump',
  groups: 'groups', group: 'groups', tags: 'groups',
};

/**
 * CSV with a header row. Columns (case-insensitive): name/host, address/ip, port, user, identity, jump, groups
 * (separated by ';' or '|'). A row without an address uses its name as the address.
 */
export function parseCsvInventory(text: string, file = 'CSV'): InventoryParse {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
      comment: '#',
    }) as typeof records;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new FoureyesError('bad_input', `${file}: not valid CSV: ${msg}`);
  }
  if (records.length === 0) return { hosts: [], problems: [] };
  const cols = Object.keys(records[0]!.record);
  if (!cols.some((c) => ALIASES[c] === 'name' || ALIASES[c] === 'address'))
    throw new FoureyesError('bad_input', `${file}: the header row needs a 'name' or 'address' column (found: ${cols.join(', ')})`);
  const entries = records.map(({ record, info }) => {
    const h: InventoryHost = { name: '', address: '', groups: [] };
    for (const [k, v] of Object.entries(record)) {
      const field = ALIASES[k];
      if (!field || v === undefined || v === '') continue;
      if (field === 'port') h.port = parsePort(v);
      else if (field === 'groups') h.groups = v.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
      else if (field !== 'ignore') (h as unknown as Record<string, string>)[field] = v;
    }
    if (!h.address) h.address = h.name;
    if (!h.name) h.name = h.address;
    return { host: h, line: info.lines };
  });
  return collect(entries, file);
}
