import type { SlackApi } from './api.js';
import { slackErrorCode } from './errors.js';

export interface DirectoryUser {
  id: string;
  email?: string;
  tz?: string;
  /** Deactivated accounts and bots can never receive a nudge. */
  active: boolean;
}

interface SlackMember {
  id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  tz?: string;
  profile?: { email?: string };
}

function toDirectoryUser(m: SlackMember): DirectoryUser | undefined {
  if (!m.id) return undefined;
  const active = !m.deleted && !m.is_bot && !m.is_app_user && m.id !== 'USLACKBOT';
  return {
    id: m.id,
    ...(m.profile?.email ? { email: m.profile.email.toLowerCase() } : {}),
    ...(m.tz ? { tz: m.tz } : {}),
    active,
  };
}

/**
 * users.list errors that no later call can get past: the token or its scopes. Anything else leaves the list incomplete.
 */
const FATAL_LIST_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'account_inactive',
  'missing_scope',
  'no_permission',
]);

export interface DirectoryOptions {
  /** users.list page size (Slack allows up to 1,000). */
  pageSize?: number;
  /** Lower-cased addresses an earlier users.lookupByEmail found no one for (the store's memory): not asked again. */
  knownMisses?: ReadonlySet<string>;
  /** The most users.lookupByEmail calls (Tier 3, about 50 a minute) this directory may make; unlimited when absent. */
  maxLookups?: number;
}

/** What an e-mail question found: a member, nobody, or nothing yet because the lookup budget is spent. */
export type EmailAnswer = { found: DirectoryUser } | { found?: undefined; deferred?: true };

/**
 * The workspace's people, read once per cycle with a paginated users.list (Tier 2, a handful of calls for
 * thousands of members) instead of one users.lookupByEmail (Tier 3, about 50 a minute) per IAM user.
 * A complete list with users:read.email holds every member's address, so after it an address it lacks is a
 * miss and costs no call. lookupByEmail is asked only when the list is incomplete (users.list failed part-way)
 * or was never read (one person to find, as after a CloudTrail event), never about a remembered miss, and at
 * most `maxLookups` times. Without load(), an ID costs one users.info (Tier 4).
 */
export class SlackDirectory {
  private byId = new Map<string, DirectoryUser>();
  /** Every listed member with an address, deactivated ones too: a deactivated member is a known "no". */
  private byEmail = new Map<string, DirectoryUser>();
  private lookedUp = new Map<string, DirectoryUser | null>();
  private infoMissing = new Set<string>();
  private readonly misses = new Set<string>();
  private readonly pageSize: number;
  private lookupsLeft: number;
  /** The whole member list was read. */
  private complete = false;
  /** Why the member list is incomplete, when load() was cut short. */
  incompleteBecause: string | undefined;
  /** Addresses users.lookupByEmail found no active member for, in this directory's life: for the store to remember. */
  readonly newMisses: string[] = [];
  /** Addresses not looked up because the lookup budget was spent: unmapped for now, asked about in a later cycle. */
  readonly deferred = new Set<string>();

  constructor(
    private readonly slack: SlackApi,
    options: DirectoryOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.lookupsLeft = options.maxLookups ?? Infinity;
    for (const m of options.knownMisses ?? []) this.misses.add(m.toLowerCase());
  }

  /**
   * Reads the member list. A failure past the first page, or one that is not about the token or its scopes
   * (a rate limit past the gate's budget, a network error), leaves the list incomplete: what was read stays,
   * and addresses it lacks may then be looked up. Token and scope errors are thrown.
   */
  async load(): Promise<void> {
    if (this.complete) return;
    let cursor: string | undefined;
    try {
      do {
        const page = await this.slack.usersList({ limit: this.pageSize, ...(cursor ? { cursor } : {}) });
        for (const m of (page.members ?? []) as SlackMember[]) this.add(toDirectoryUser(m));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (err) {
      const code = slackErrorCode(err);
      if (FATAL_LIST_ERRORS.has(code)) throw err;
      this.incompleteBecause = code;
      return;
    }
    this.complete = true;
    this.incompleteBecause = undefined;
  }

  private add(user: DirectoryUser | undefined): void {
    if (!user) return;
    this.byId.set(user.id, user);
    if (user.email) this.byEmail.set(user.email, user);
  }

  /**
   * The member with this ID: from the member list once loaded; before that (one person to map, as after
   * a CloudTrail event) one users.info call (Tier 4), remembered, instead of reading the whole list.
   */
  async byUserId(id: string): Promise<DirectoryUser | undefined> {
    if (this.complete || this.byId.has(id)) return this.byId.get(id);
    if (this.infoMissing.has(id)) return undefined;
    try {
      const found = toDirectoryUser((await this.slack.usersInfo(id)).user as SlackMember);
      this.add(found);
      return found;
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== 'user_not_found') throw err;
      this.infoMissing.add(id);
      return undefined;
    }
  }

  /**
   * An active member with this address. With `lookup: false`, only the member list is consulted: no users.lookupByEmail
   * is spent.
   */
  async byEmailAddress(email: string, options: { lookup?: boolean } = {}): Promise<DirectoryUser | undefined> {
    return (await this.answerFor(email, options)).found;
  }

  /** As byEmailAddress, saying also whether the address was left for later (the lookup budget is spent). */
  async answerFor(email: string, options: { lookup?: boolean } = {}): Promise<EmailAnswer> {
    const key = email.toLowerCase();
    const listed = this.byEmail.get(key);
    if (listed) return listed.active ? { found: listed } : {};
    if (this.complete || this.misses.has(key)) return {};
    if (this.lookedUp.has(key)) {
      const known = this.lookedUp.get(key);
      return known ? { found: known } : {};
    }
    if (options.lookup === false) return {};
    if (this.lookupsLeft <= 0) {
      this.deferred.add(key);
      return { deferred: true };
    }
    this.lookupsLeft -= 1;
    let found: DirectoryUser | undefined;
    try {
      found = toDirectoryUser((await this.slack.lookupByEmail(key)).user as SlackMember);
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== 'users_not_found') throw err;
    }
    const usable = found?.active ? found : undefined;
    this.lookedUp.set(key, usable ?? null);
    if (found) this.byId.set(found.id, found);
    if (!usable) this.newMisses.push(key);
    return usable ? { found: usable } : {};
  }
}
