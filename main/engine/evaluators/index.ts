/** Registry of named evaluators. A catalogue rule `{ type: evaluator, name }` must name one of these. */
import {
  emptyPasswords,
  lastChangeInPast,
  noLoginLocked,
  shadowAging,
  passwordMaxAge,
  systemShells,
  uid0OnlyRoot,
  uniqueAccounts,
  unusedAccounts,
} from './accounts.js';
import { firewallDefaultDeny, listeningExposed, listeningInsecure } from './network.js';
import { pamModule, pamWheelGroupEmpty } from './pam.js';
import { passwordsNotWorldReadable } from './secrets.js';
import { authorizedKeysStrong, localInteractiveWithCentral } from './logins.js';
import { noAuthenticate, nopasswdAll, sudoDefault } from './sudoers.js';
import { timeServersAuthorised } from './time.js';
import type { EvaluatorDef } from './types.js';

export type { EvaluatorDef } from './types.js';

const ALL = [
  uid0OnlyRoot,
  uniqueAccounts,
  emptyPasswords,
  systemShells,
  unusedAccounts,
  passwordMaxAge,
  shadowAging,
  lastChangeInPast,
  noLoginLocked,
  nopasswdAll,
  noAuthenticate,
  sudoDefault,
  listeningExposed,
  listeningInsecure,
  firewallDefaultDeny,
  passwordsNotWorldReadable,
  pamModule,
  pamWheelGroupEmpty,
  authorizedKeysStrong,
  localInteractiveWithCentral,
  timeServersAuthorised,
] as EvaluatorDef<unknown>[];

export const EVALUATORS: ReadonlyMap<string, EvaluatorDef<unknown>> = new Map(ALL.map((e) => [e.name, e]));

export function evaluatorByName(name: string): EvaluatorDef<unknown> | undefined {
  return EVALUATORS.get(name);
}
