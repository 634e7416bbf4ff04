/**
 * The AAA view: who can log in (central directory or local accounts, and with what), what they may do (sudo rules
 * expanded to the accounts they reach) and what is recorded (the verdicts of the audit and logging checks), per
 * host run and across an engagement's scan. Every string that came from a target is in its text form
 * (shared/text/target-text.ts) and is shown with TargetText.
 */
import { z } from 'zod';
import { IdSchema, TimestampSchema, VerdictSchema } from './common.js';

export const AaaHostInputSchema = z.strictObject({ hostRunId: IdSchema });
/** The scan whose host runs are shown; none: the engagement's newest scan with a completed host run. */
export const AaaEngagementInputSchema = z.strictObject({
  engagementId: IdSchema,
  scanId: IdSchema.optional(),
});

/** A part of the view that could not be read from the snapshot: the fact and why. */
export const AaaUnreadSchema = z.object({ factId: z.string(), why: z.string() });

export const AaaCentralSchema = z.object({
  /** Accounts are resolved from a directory (nsswitch passwd: sss, ldap, winbind, nis, ...). */
  inUse: z.boolean(),
  /** What provides it: sssd, freeipa, ldap, kerberos, winbind, nis. */
  providers: z.array(z.string()),
  nsswitch: z
    .object({ passwd: z.array(z.string()), group: z.array(z.string()), sudoers: z.array(z.string()) })
    .nullable(),
  sssdDomains: z.array(
    z.object({
      name: z.string(),
      idProvider: z.string().nullable(),
      authProvider: z.string().nullable(),
      accessProvider: z.string().nullable(),
    }),
  ),
  ipa: z
    .object({ realm: z.string().nullable(), domain: z.string().nullable(), server: z.string().nullable() })
    .nullable(),
  kerberosRealm: z.string().nullable(),
  ldapUris: z.array(z.string()),
  /** PAM modules of a directory found in the PAM stacks (pam_sss, pam_ldap, pam_krb5, pam_winbind). */
  pamModules: z.array(z.string()),
});

export const AaaSudoGrantSchema = z.object({
  /** As written: a user, %group, +netgroup, a User_Alias or ALL. */
  principal: z.string(),
  kind: z.enum(['user', 'group', 'netgroup', 'alias', 'all', 'uid']),
  /** The local accounts it reaches (group members and accounts with that primary group); directory members are not listed. */
  accounts: z.array(z.string()),
  /** A group this host does not define locally (a directory group: members not known from the snapshot). */
  unresolved: z.boolean(),
  hosts: z.string(),
  runAs: z.string(),
  commands: z.array(z.string()),
  /** Every command (ALL, or an alias of ALL). */
  all: z.boolean(),
  nopasswd: z.boolean(),
  source: z.string(),
});
export type AaaSudoGrant = z.infer<typeof AaaSudoGrantSchema>;

export const AaaAccountSchema = z.object({
  name: z.string(),
  uid: z.number().int().nullable(),
  shell: z.string(),
  /** A login shell (not nologin, false, sync, shutdown, halt). */
  loginShell: z.boolean(),
  /** uid at or above UID_MIN (login.defs, default 1000) and below 65534, or root. */
  personal: z.boolean(),
  password: z.enum(['hash', 'empty', 'locked', 'unknown']).nullable(),
  /** The account's expiry date has passed (shadow field 8). null: shadow not read. */
  expired: z.boolean().nullable(),
  passwordAgeDays: z.number().int().nullable(),
  maxDays: z.number().int().nullable(),
  /** ISO date of the last login, 'never', or null when lastlog was not read. */
  lastLogin: z.string().nullable(),
  /** null: the authorized_keys files were not read. */
  keys: z
    .object({ count: z.number().int(), types: z.array(z.string()), files: z.array(z.string()) })
    .nullable(),
  groups: z.array(z.string()),
  /** Sudo grants that reach this account, as `runAs: commands` lines with the tag. */
  sudo: z.array(z.string()),
  /** Can log in: a login shell and a usable password or an authorized key. */
  canLogIn: z.boolean(),
  /** What a reviewer should look at, in words. */
  flags: z.array(z.string()),
});
export type AaaAccount = z.infer<typeof AaaAccountSchema>;

export const AaaCheckSchema = z.object({
  checkId: z.string(),
  title: z.string(),
  verdict: VerdictSchema,
  actual: z.string(),
});

export const AaaHostSchema = z.object({
  hostRunId: IdSchema,
  hostName: z.string(),
  collectedAt: TimestampSchema.nullable(),
  /** The snapshot's login had root (or read root-only files through sudo). */
  privileged: z.boolean(),
  central: AaaCentralSchema,
  accounts: z.array(AaaAccountSchema),
  sudo: z.object({ grants: z.array(AaaSudoGrantSchema), notes: z.array(z.string()) }),
  /** Second factors in the PAM stacks (pam_oath, pam_google_authenticator, pam_duo, pam_u2f, pam_yubico, pam_radius_auth). */
  secondFactor: z.array(z.object({ module: z.string(), file: z.string() })),
  /** sshd's effective AuthenticationMethods, when read. */
  sshAuthMethods: z.string().nullable(),
  /** The verdicts of the aaa family's checks, in three groups. */
  checks: z.object({
    logIn: z.array(AaaCheckSchema),
    authorised: z.array(AaaCheckSchema),
    recorded: z.array(AaaCheckSchema),
  }),
  unread: z.array(AaaUnreadSchema),
});
export type AaaHost = z.infer<typeof AaaHostSchema>;

const countsOf = z.object({ pass: z.number().int(), fail: z.number().int(), other: z.number().int() });

export const AaaEngagementSchema = z.object({
  scanId: IdSchema.nullable(),
  scanStartedAt: TimestampSchema.nullable(),
  hosts: z.array(
    z.object({
      hostRunId: IdSchema,
      hostName: z.string(),
      centralProviders: z.array(z.string()),
      accountsCanLogIn: z.number().int(),
      /** Local accounts that can log in although a directory is in use (root excepted). */
      localBesideCentral: z.number().int(),
      sudoGrants: z.number().int(),
      nopasswdAll: z.number().int(),
      secondFactor: z.boolean(),
      logIn: countsOf,
      authorised: countsOf,
      recorded: countsOf,
      unread: z.number().int(),
    }),
  ),
  /** Personal accounts and those that can log in, across the hosts: where each exists and what it may do. */
  accounts: z.array(
    z.object({
      name: z.string(),
      hosts: z.array(z.string()),
      canLogInOn: z.array(z.string()),
      sudoOn: z.array(z.string()),
      keysOn: z.array(z.string()),
      flags: z.array(z.string()),
    }),
  ),
});
export type AaaEngagement = z.infer<typeof AaaEngagementSchema>;
