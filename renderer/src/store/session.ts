/**
 * Who is acting: the workstation's people and the person signed in (main keeps the session; this slice mirrors it).
 * At start the UI asks who you are (`sessionView` 'asking') until someone signs in or the user goes on read-only
 * ('anonymous'); actions that need a person then say so. Refusals of a sign-in or a new person are kept here and
 * shown in the panel where the user typed; the passphrase is never kept in the store.
 */
import type { Person } from '../../../shared/model/person.js';
import type { MethodInput } from '../../../shared/api/contract.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

/** pending: not known yet; asking: the sign-in panel is open; in: someone is signed in; anonymous: read-only. */
export type SessionView = 'pending' | 'asking' | 'in' | 'anonymous';

export interface SessionSlice {
  people: Person[];
  /** The person signed in (null: nobody). */
  me: Person | null;
  sessionView: SessionView;
  /** The backend's sentence for the last refused sign-in or new person. */
  sessionError: string | null;
  sessionBusy: boolean;
  /** This computer's keychain can seal keys (the Electron workstation where the OS really encrypts). */
  keychain: boolean;
  /** The people whose key the keychain holds (they may sign in without the passphrase). */
  sealed: string[];
  /** Read the people and the session; ask who is acting when nobody is signed in. */
  loadSession(): Promise<void>;
  /** With the passphrase (and `remember`: seal the key by the keychain), or without it from the keychain. */
  signIn(personId: string, passphrase: string | null, remember?: boolean): Promise<boolean>;
  /** Remove the key the keychain holds for a person (the passphrase is needed again). */
  forgetKey(personId: string): Promise<void>;
  signOut(): Promise<void>;
  /** Add a person of this workstation (the first while nobody is signed in, later ones by someone signed in). */
  addPerson(input: MethodInput<'person.add'>): Promise<Person | null>;
  /** Open the sign-in panel (switch person). */
  askWho(): void;
  /** Go on without signing in: read-only. */
  continueReadOnly(): void;
}

const READ_ONLY_KEY = 'foureyes.readOnly';

/** Whether this tab chose to go on without signing in (a reload does not ask again). */
function readOnlyChosen(): boolean {
  try {
    return window.sessionStorage.getItem(READ_ONLY_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberReadOnly(on: boolean): void {
  try {
    if (on) window.sessionStorage.setItem(READ_ONLY_KEY, '1');
    else window.sessionStorage.removeItem(READ_ONLY_KEY);
  } catch {
    // Storage off: the choice lasts until a reload.
  }
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get) => ({
  people: [],
  me: null,
  sessionView: 'pending',
  sessionError: null,
  sessionBusy: false,
  keychain: false,
  sealed: [],
  loadSession: async () => {
    try {
      const [{ people }, { person, keychain, sealed }] = await Promise.all([
        value(api().person.list({})),
        value(api().session.current({})),
      ]);
      const view = get().sessionView;
      set({
        people,
        me: person,
        keychain,
        sealed,
        sessionView: person ? 'in' : view === 'anonymous' || readOnlyChosen() ? 'anonymous' : 'asking',
      });
    } catch (e) {
      get().notify('error', 'People', e);
      if (get().sessionView === 'pending') set({ sessionView: 'anonymous' });
    }
  },
  signIn: async (personId, passphrase, remember) => {
    set({ sessionBusy: true, sessionError: null });
    try {
      const input = passphrase === null ? { personId } : { personId, passphrase, ...(remember ? { remember } : {}) };
      const { person, keychain, sealed } = await value(api().session.signIn(input));
      set({ me: person, keychain, sealed, sessionView: person ? 'in' : 'asking' });
      return person !== null;
    } catch (e) {
      // A failed sign-in leaves nobody signed in (main signs out first).
      set({ me: null, sessionError: messageOf(e) });
      return false;
    } finally {
      set({ sessionBusy: false });
    }
  },
  forgetKey: async (personId) => {
    try {
      const { keychain, sealed } = await value(api().session.forgetKey({ personId }));
      set({ keychain, sealed });
    } catch (e) {
      get().notify('error', 'Keychain', e);
    }
  },
  signOut: async () => {
    try {
      await value(api().session.signOut({}));
      rememberReadOnly(false);
      set({ me: null, sessionView: 'asking', sessionError: null });
    } catch (e) {
      get().notify('error', 'Sign out', e);
    }
  },
  addPerson: async (input) => {
    set({ sessionBusy: true, sessionError: null });
    try {
      const person = await value(api().person.add(input));
      const { people } = await value(api().person.list({}));
      set({ people });
      return person;
    } catch (e) {
      set({ sessionError: messageOf(e) });
      return null;
    } finally {
      set({ sessionBusy: false });
    }
  },
  askWho: () => set({ sessionView: 'asking', sessionError: null }),
  continueReadOnly: () => {
    if (!get().me) rememberReadOnly(true);
    set({ sessionView: get().me ? 'in' : 'anonymous', sessionError: null });
  },
});

/** The sentence for an action that needs a person while nobody is signed in. */
export function needsPerson(action: string): string {
  return `${action} needs a person: sign in first (you are reading without signing in).`;
}
