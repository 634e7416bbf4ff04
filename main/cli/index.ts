/**
 * The `foureyes` command line: assess, collector, import, results, export, reevaluate, bundle, publish, findings, finding,
 * waivers, waiver, person, review, audit. This entry holds only the argument parser; each command's module (and with it SSH, SQLite, the
 * catalogue) is evaluated when that command runs, so `--help` and `--version` start at once. bin/foureyes.js runs
 * `main` from the bundle (build/bundle-cli.mjs).
 */
import { Command } from 'commander';
import { isFoureyesError } from '../../shared/model/errors.js';
import { projectRootFrom, readAppVersion } from '../api/app-env.js';
import { term } from './term.js';

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];
const PERSON_PASSPHRASE_HELP = "--as person's passphrase file (or FOUREYES_PERSON_PASSPHRASE; asked on a terminal)";
const WORKSPACE_HELP = 'workspace file (default: $FOUREYES_WORKSPACE, else $XDG_DATA_HOME/foureyes/workspace.sqlite)';

/** Builds the program; resolves to the exit code. */
let pipesGuarded = false;
/** Output piped into a reader that stops early (`| head`): the rest is not wanted, and that is no error. */
function guardPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw e;
    });
}

export async function main(argv: string[]): Promise<number> {
  guardPipes();
  let code = 0;
  const program = new Command('foureyes')
    .description('Read-only SSH hardening and AAA assessments')
    .version(readAppVersion(projectRootFrom(import.meta.url)), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`foureyes: ${str.replace(/^error: /, '')}`) });
  program
    .command('assess [hosts...]')
    .description('assess hosts (user@host[:port] or ssh_config alias)')
    .option('--inventory <file>', 'inventory file (.csv, .yml, .yaml, .ini)')
    .option('--local', 'assess this machine')
    .option('-i, --identity <file>', 'private key')
    .option('--known-hosts <file>', 'known_hosts file (repeatable)', collect, [])
    .option('--accept-new', 'accept a host key never seen before')
    .option('--pin <fingerprint>', 'pinned host key fingerprint (SHA256:...)')
    .option('-J, --jump <spec>', 'jump hosts, a,b')
    .option('-F, --ssh-config <file>', 'ssh client configuration')
    .option('--sudo', 'use sudo (with a password if given)')
    .option('--sudo-password-file <file>', 'sudo password file (or FOUREYES_SUDO_PASSWORD); one host only, unless --same-sudo-password')
    .option('--sudo-password-for <host=file>', "one host's sudo password file (repeatable)", collect, [])
    .option('--same-sudo-password', 'send the one --sudo-password-file to every host whose sudo asks')
    .option('--passphrase-file <file>', 'key passphrase file (or FOUREYES_PASSPHRASE)')
    .option('--password-file <file>', 'login password file (or FOUREYES_PASSWORD)')
    .option('--workspace <file>', WORKSPACE_HELP)
    .option('--json', 'JSON output')
    .option('--format <format>', 'write the scan to stdout as sarif, junit, ohdf or json (the engagement) instead of the report')
    .option('--fail-on <severity>', 'exit 1 when a failing result at or above this severity exists')
    .option('--concurrency <n>', 'hosts at once', '8')
    .option('--deadline <seconds>', 'seconds each host may take in all before it fails alone', '300')
    .option('--checks <ids>', 'comma-separated check ids')
    .option('--profile <id|file>', 'a profile (cis-debian12-l1-server, aaa, ...) or a profile file that tailors one')
    .option('--pack <dir>', 'a directory of your own checks, run beside the built-in ones (repeatable)', collect, [])
    .option('--as <name>', 'the person who runs the scan (its start, findings and end signed in the trail)')
    .option('--person-passphrase-file <file>', PERSON_PASSPHRASE_HELP)
    .action(async (hosts: string[], o: Record<string, unknown>) => {
      code = await (await import('./commands/assess.js')).assess(hosts, o);
    });
  program
    .command('catalogue')
    .description('the checks of the catalogue, its profiles, or counts per family, area, platform and profile')
    .option('--stats', 'counts per family, area, platform, template and profile, and checks lacking remediation')
    .option('--profiles', 'list the profiles (built-in and your own)')
    .option('--profile <id|file>', 'list the checks a profile runs, tailored')
    .option('--pack <dir>', 'a directory of your own checks (repeatable)', collect, [])
    .option('--json', 'JSON output')
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/catalogue.js')).catalogue(o);
    });
  program
    .command('remediate')
    .description('write an Ansible playbook (and its inventory) for the failing checks of a stored scan; reads only')
    .option('--scan <id>', 'the scan (default: the newest)')
    .option('--out <file>', 'the playbook to write')
    .option('--inventory <file>', 'the inventory to write (default: <playbook>.inventory.yml beside it)')
    .option('--pack <dir>', 'a check pack the scan used (repeatable)', collect, [])
    .option('--workspace <file>', WORKSPACE_HELP)
    .option('--json', 'JSON output')
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/remediate.js')).remediate(o);
    });
  program
    .command('collector')
    .description('print the collector script')
    .option('--checks <ids>', 'comma-separated check ids')
    .option('-o, --output <file>', 'write to a file')
    .action(async (o: { checks?: string; output?: string }) => {
      code = await (await import('./commands/collector.js')).collector(o);
    });
  program
    .command('import <file>')
    .description('evaluate and store collector output')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .option('--name <name>', 'host name')
    .option('--profile <id|file>', 'a profile (cis-debian12-l1-server, aaa, ...) or a profile file that tailors one')
    .option('--pack <dir>', 'a directory of your own checks, evaluated beside the built-in ones (repeatable)', collect, [])
    .option('--as <name>', 'the person who imports (the scan and its findings signed in the trail)')
    .option('--person-passphrase-file <file>', PERSON_PASSPHRASE_HELP)
    .action(async (file: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/import.js')).importFile(file, o);
    });
  program
    .command('results [scanId]')
    .description('show a stored scan (the newest if no id); reads only, creates nothing')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (id: string | undefined, o: Record<string, unknown>) => {
      code = await (await import('./commands/results.js')).results(id, o);
    });
  program
    .command('export <format>')
    .description(
      'write a stored scan as sarif, junit or ohdf, its engagement as json, its findings as a CSV for Jira\'s importer ' +
        '(jira-csv; these read only, create nothing), the engagement as a signed bundle of Confluence pages ' +
        '(confluence: a folder, or --zip), its report as one self-contained html file or as pdf (printed by ' +
        'headless Chromium), or the scan as one standalone file (scan: snapshots, results, every check definition, ' +
        'the profile and attestation answers) that reevaluate evaluates again anywhere',
    )
    .requiredOption('--out <path>', 'file to write (- for stdout); confluence: the bundle folder (with --zip: the zip file)')
    .option('--zip', 'confluence: write one zip file instead of a folder')
    .option('--scan <id>', 'the scan (default: the newest, of --engagement when given)')
    .option('--engagement <id>', 'engagement id or name (json, jira-csv, confluence, html, pdf: the engagement exported)')
    .option('--final', 'refuse while a finding of the engagement is not approved (or its approval does not verify)')
    .option('--component <name>', 'jira-csv: a Jira component for every issue (repeatable)', collect)
    .option('--audience <audience>', 'html, pdf: executive, manager or engineer (default engineer)')
    .option('--as <name>', "confluence, html, pdf: who exports (signs the bundle or the report's audit checkpoint)")
    .option('--passphrase-file <file>', PERSON_PASSPHRASE_HELP)
    .option('--json', 'html, pdf: JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (format: string, o: Record<string, unknown>) => {
      code =
        format === 'scan'
          ? (await import('./commands/export-scan.js')).exportScanFile(o)
          : format === 'confluence'
          ? await (await import('./commands/export-confluence.js')).exportConfluence(o)
          : format === 'html' || format === 'pdf'
            ? await (await import('./commands/export-report.js')).exportReport(format, o)
            : await (await import('./commands/export.js')).exportCommand(format, o);
    });
  program
    .command('reevaluate <file>')
    .description(
      'evaluate the snapshots of a scan file (export scan) again with the check definitions and answers it carries, ' +
        'not the local catalogue; exit 0 when every verdict agrees, 1 naming each that does not',
    )
    .option('--json', 'JSON output')
    .action(async (file: string, o: Record<string, unknown>) => {
      code = (await import('./commands/reevaluate.js')).reevaluateCommand(file, o);
    });
  program
    .command('bundle')
    .description('exported bundles')
    .command('verify <path>')
    .description('check a bundle folder or zip against its signed integrity manifest (exit 0 verified, 1 names what changed)')
    .option('--json', 'JSON output')
    .action(async (path: string, o: Record<string, unknown>) => {
      code = (await import('./commands/export-confluence.js')).bundleVerify(path, o);
    });
  const publish = program.command('publish').description('publish exports to a server: Confluence pages, Jira issues');
  publish
    .command('confluence')
    .description(
      'upload a Confluence bundle (folder or zip, verified first) into a space: pages created, or updated when ' +
        'changed; a stopped run continues from its state file (exit 2 when it stops)',
    )
    .requiredOption('--bundle <path>', 'the bundle folder or zip (foureyes export confluence)')
    .requiredOption('--url <url>', 'the Confluence base URL (https://wiki.example.org, with /wiki on Cloud)')
    .requiredOption('--space <key>', 'the space key')
    .option('--parent <id>', 'the id of the page the bundle goes under (default: the top of the space)')
    .option('--user <email>', 'Atlassian Cloud: the account e-mail (Basic auth with the API token; default Bearer)')
    .option('--token-file <file>', 'API token file, readable by its owner only (or FOUREYES_CONFLUENCE_TOKEN; asked on a terminal)')
    .option('--state <file>', 'the publish state file (default: <bundle>.publish.json beside the bundle)')
    .option('--timeout <seconds>', 'seconds each request may take', '30')
    .option('--dry-run', 'only look up, and say what would be created or updated')
    .option('--json', 'JSON output')
    .option('--as <name>', 'record the publish in the trail, signed by this person')
    .option('--passphrase-file <file>', PERSON_PASSPHRASE_HELP)
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/publish-confluence.js')).publishConfluenceCommand(o);
    });
  publish
    .command('jira')
    .description(
      "the engagement's findings as issues of a Jira project (REST v2): found by their external-id label, created, " +
        'or updated with only what changed; a stopped run is finished by running it again (exit 2 when it stops)',
    )
    .requiredOption('--url <url>', 'the Jira base URL (https://jira.example.org, https://example.atlassian.net)')
    .requiredOption('--project <key>', 'the project key')
    .option('--engagement <id>', 'engagement id or name (default: that of the newest scan)')
    .option('--issue-type <name>', 'the issue type of issues created', 'Task')
    .option('--component <name>', 'a component for every issue (repeatable)', collect)
    .option('--user <email>', 'Atlassian Cloud: the account e-mail (Basic auth with the API token; default Bearer)')
    .option('--token-file <file>', 'API token file, readable by its owner only (or FOUREYES_JIRA_TOKEN; asked on a terminal)')
    .option('--timeout <seconds>', 'seconds each request may take', '30')
    .option('--final', 'refuse while a finding of the engagement is not approved (or its approval does not verify)')
    .option('--dry-run', 'only search, and say what would be created or updated')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/publish-jira.js')).publishJiraCommand(o);
    });
  const PASSPHRASE_HELP = "the person's passphrase file (or FOUREYES_PERSON_PASSPHRASE; asked on a terminal)";
  const person = program.command('person').description('people of the workspace and their signing keys');
  person
    .command('add')
    .description('add a person of this workstation with a new Ed25519 key pair')
    .requiredOption('--name <name>', 'name (unique, any case)')
    .requiredOption('--role <role>', 'role, e.g. consultant or reviewer')
    .requiredOption('--email <email>', 'email address')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/person.js')).personAdd(o);
    });
  person
    .command('list')
    .description('list the people of the workspace')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/person.js')).personList(o);
    });
  person
    .command('export <name>')
    .description("write a person's public profile (no secret) for a colleague's workstation")
    .option('-o, --output <file>', 'profile file to write')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (name: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/person.js')).personExport(name, o);
    });
  person
    .command('import <file>')
    .description("import a colleague's public profile (signed in the trail by the importer)")
    .option('--as <name>', 'who imports (default: the one person of this workstation)')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (file: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/person.js')).personImport(file, o);
    });
  program
    .command('findings')
    .description('list the findings (of one engagement, or of every one): severity, status, review state, hosts')
    .option('--engagement <id>', 'engagement id or name')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = (await import('./commands/findings.js')).findingsList(o);
    });
  const finding = program.command('finding').description('one finding: show, edit, and its four-eye review');
  finding
    .command('show <id>')
    .description('a finding with its hosts and evidence, notes, approvals and history (id or a unique start of it)')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (id: string, o: Record<string, unknown>) => {
      code = (await import('./commands/findings.js')).findingShow(id, o);
    });
  const AS_HELP = 'the person of this workstation who acts (signs the change)';
  const REVISION_HELP = 'refuse unless the finding is still at this revision (as you read it)';
  finding
    .command('edit <id>')
    .description('change a finding as a person (who becomes its author); an approved finding goes back to review')
    .requiredOption('--as <name>', AS_HELP)
    .option('--title <text>', 'title')
    .option('--severity <severity>', "info, low, medium, high or critical (other than the catalogue's: with --reason)")
    .option('--status <status>', 'open, confirmed, false positive, accepted risk or fixed (false positive, accepted risk: with --reason)')
    .option('--reason <text>', 'why (a severity override, false positive, accepted risk)')
    .option('--notes-file <file>', 'Markdown notes from a UTF-8 file')
    .option('--recommendation-file <file>', 'recommendation from a UTF-8 file')
    .option('--tag <tag>', 'a tag (repeatable; the tags given replace the finding\'s)', collect)
    .option('--owner <name>', "the customer's owner ('' for none)")
    .option('--due <YYYY-MM-DD>', "due date ('' for none)")
    .option('--revision <n>', REVISION_HELP)
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (id: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/finding-review.js')).findingEdit(id, o);
    });
  finding
    .command('submit <id>')
    .description('submit a draft finding for review')
    .requiredOption('--as <name>', AS_HELP)
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (id: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/finding-review.js')).findingSubmit(id, o);
    });
  finding
    .command('approve <id>')
    .description("approve a finding in review: your key signs its content (not its author's nor its submitter's)")
    .requiredOption('--as <name>', AS_HELP)
    .option('--revision <n>', REVISION_HELP)
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (id: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/finding-review.js')).findingApprove(id, o);
    });
  finding
    .command('reject <id>')
    .description('send a finding in review back to draft, saying why')
    .requiredOption('--as <name>', AS_HELP)
    .requiredOption('--comment <text>', 'why it goes back')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (id: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/finding-review.js')).findingReject(id, o);
    });
  finding
    .command('waive <check>')
    .description(
      'ask to waive a check (its id, or a finding\'s id) on one host or on all hosts: an accepted risk until a date, ' +
        'applied once another person approves it',
    )
    .requiredOption('--as <name>', 'the person of this workstation who requests it')
    .option('--host <name>', 'the host (its inventory name)')
    .option('--all-hosts', 'every host of the engagement')
    .requiredOption('--reason <text>', 'why the risk is accepted')
    .option('--owner <name>', "the customer's owner of the risk")
    .requiredOption('--expires <YYYY-MM-DD>', 'the first day on which it no longer applies (after today)')
    .option('--engagement <id>', 'engagement id or name (default: the finding\'s, the host\'s, or the only one)')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (check: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/waivers.js')).findingWaive(check, o);
    });
  program
    .command('attest [check]')
    .description(
      'answer a question no command can answer (an attestation check) for an engagement, or list the questions ' +
        'and their answers',
    )
    .option('--answer <yes|no|na>', 'the answer')
    .option('--note <text>', 'what you saw or who told you (the report shows it as the evidence)')
    .option('--as <name>', 'the person of this workstation who answers')
    .option('--engagement <id>', "engagement id or name (default: the newest scan's, or the only one)")
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (check: string | undefined, o: Record<string, unknown>) => {
      code = await (await import('./commands/attest.js')).attest(check, o);
    });
  program
    .command('access')
    .description(
      'the AAA view of a scan: who can log in on each host (directory or local accounts, with what), the sudo rules ' +
        'expanded to the accounts they reach, second factors, and the aaa verdicts; --host for one host in full',
    )
    .option('--engagement <id>', "engagement id or name (default: the newest scan's)")
    .option('--scan <id>', "the scan (default: the engagement's newest with a completed host)")
    .option('--host <name>', 'one host of the scan in full: directory, every account, every sudo rule')
    .option('--all', 'with --host: system accounts too')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = (await import('./commands/access.js')).access(o);
    });
  program
    .command('waivers')
    .description('list the waivers (of one engagement, or of every one): state, check, host, expiry, days left')
    .option('--engagement <id>', 'engagement id or name')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = (await import('./commands/waivers.js')).waiversList(o);
    });
  const waiver = program.command('waiver').description('decide a waiver: approve (not its requester), reject, revoke');
  for (const [verb, what] of [
    ['approve', "approve a requested waiver: your key signs its content (not the requester's)"],
    ['reject', 'reject a requested waiver, saying why'],
    ['revoke', 'revoke an approved waiver, saying why: its results show their verdict again'],
  ] as const) {
    const c = waiver
      .command(`${verb} <id>`)
      .description(what)
      .requiredOption('--as <name>', AS_HELP);
    if (verb === 'approve') c.option('--reason <text>', 'ignored: the waiver carries its reason');
    else c.requiredOption('--reason <text>', verb === 'reject' ? 'why it is rejected' : 'why it is revoked');
    c.option('--passphrase-file <file>', PASSPHRASE_HELP)
      .option('--json', 'JSON output')
      .option('--workspace <file>', WORKSPACE_HELP)
      .action(async (id: string, o: Record<string, unknown>) => {
        code = await (await import('./commands/waivers.js')).waiverDecide(verb, id, o);
      });
  }
  const review = program.command('review').description('offline review: signed packages and answers between workstations');
  review
    .command('export')
    .description('export the findings in review of an engagement as a signed review package')
    .requiredOption('--engagement <id>', 'engagement id or name')
    .requiredOption('-o, --output <file>', 'review package file to write')
    .requiredOption('--as <name>', 'who exports (signs the package)')
    .option('--finding <id>', 'only this finding (repeatable; each must be in review)', collect)
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/review.js')).reviewExport(o);
    });
  review
    .command('import <file>')
    .description('verify a review package and keep it as a review to do (the exporter added as a colleague)')
    .requiredOption('--as <name>', 'who receives it (signs the import)')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (file: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/review.js')).reviewImport(file, o);
    });
  review
    .command('list')
    .description('review packages received (to answer, answered) and exported (awaiting an answer, answered)')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/review.js')).reviewList(o);
    });
  review
    .command('answer <package>')
    .description('approve or reject the findings of a received package; writes the signed answer')
    .option('--approve <finding...>', 'approve these findings (id or a unique start of it)')
    .option('--reject <finding=comment>', 'send a finding back to draft, saying why (repeatable)', collect)
    .option('--decisions <file>', 'decisions as JSON: [{"finding": ID, "decision": "approve"|"reject", "comment": TEXT}]')
    .requiredOption('-o, --output <file>', 'answer file to write')
    .requiredOption('--as <name>', 'who reviews (signs each approval and the answer)')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (pkg: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/review.js')).reviewAnswer(pkg, o);
    });
  review
    .command('import-answer <file>')
    .description('apply a review answer to the findings exported from here (exit 1 when a decision is refused)')
    .requiredOption('--as <name>', 'who records it (signs the import)')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (file: string, o: Record<string, unknown>) => {
      code = await (await import('./commands/review.js')).reviewImportAnswer(file, o);
    });
  const audit = program.command('audit').description('the signed audit trail of the workspace');
  audit
    .command('verify')
    .description('recompute the chain and every signature (exit 1 naming the first bad event)')
    .option('--checkpoint <file>', 'also check the trail against a signed checkpoint')
    .option('--json', 'JSON output')
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = (await import('./commands/audit.js')).auditVerify(o);
    });
  audit
    .command('checkpoint')
    .description('write a signed checkpoint (count and head hash) of the trail')
    .requiredOption('--as <name>', 'who signs')
    .requiredOption('-o, --output <file>', 'checkpoint file to write')
    .option('--passphrase-file <file>', PASSPHRASE_HELP)
    .option('--workspace <file>', WORKSPACE_HELP)
    .action(async (o: Record<string, unknown>) => {
      code = await (await import('./commands/audit.js')).auditCheckpoint(o);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof Error && 'exitCode' in e && (e as { code?: string }).code?.startsWith('commander.')) {
      const c = (e as { exitCode: number }).exitCode;
      return c === 0 ? 0 : 2;
    }
    if (isFoureyesError(e)) {
      // Messages name files, hosts and people, which may come from a hostile file or an edited workspace.
      process.stderr.write(`foureyes: ${term(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  return code;
}
