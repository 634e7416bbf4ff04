/** One entry for every inventory format the import takes: the format's parser, by source name. */
import { FoureyesError } from '../../shared/model/errors.js';
import { parseAnsibleIni, parseAnsibleYaml } from './ansible.js';
import { parseCsvInventory } from './csv.js';
import { parseSshConfigInventory } from './ssh-config.js';
import type { InventoryParse } from './types.js';

export function parseInventory(source: string, content: string, file: string): InventoryParse {
  switch (source) {
    case 'csv':
      return parseCsvInventory(content, file);
    case 'ansible-ini':
      return parseAnsibleIni(content, file);
    case 'ansible-yaml':
      return parseAnsibleYaml(content, file);
    case 'ssh_config':
      return parseSshConfigInventory(content, file);
    default:
      throw new FoureyesError('bad_input', `import from ${source} is not supported`);
  }
}
