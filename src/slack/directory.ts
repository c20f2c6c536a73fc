import type { SlackApi } from './api.js';

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
  return { id: m.id, ...(m.profile?.email ? { email: m.profile.email.toLowerCase() } : {}), ...(m.tz ? { tz: m.tz } : {}), active };
}

/**
 * The workspace's people, read once per cycle with a paginated users.list (Tier 2, a handful of calls for
 * thousands of members) instead of one users.lookupByEmail (Tier 3, about 50 a minute) per IAM user.
 * lookupByEmail is only asked about addresses the list did not have. Without load(), each question is
 * one call instead (users.info, users.lookupByEmail): cheaper when only one person is to be found.
 */
export class SlackDirectory {
  private byId = new Map<string, DirectoryUser>();
  private byEmail = new Map<string, DirectoryUser>();
  private lookedUp = new Map<string, DirectoryUser | null>();
  private infoMissing = new Set<string>();
  private loaded = false;

  constructor(
    private readonly slack: SlackApi,
    private readonly pageSize = 1000,
  ) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    let cursor: string | undefined;
    do {
      const page = await this.slack.usersList({ limit: this.pageSize, ...(cursor ? { cursor } : {}) });
      for (const m of (page.members ?? []) as SlackMember[]) this.add(toDirectoryUser(m));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.loaded = true;
  }

  private add(user: DirectoryUser | undefined): void {
    if (!user) return;
    this.byId.set(user.id, user);
    if (user.email && user.active) this.byEmail.set(user.email, user);
  }

  /**
   * The member with this ID: from the member list once loaded; before that (one person to map, as after
   * a CloudTrail event) one users.info call (Tier 4), remembered, instead of reading the whole list.
   */
  async byUserId(id: string): Promise<DirectoryUser | undefined> {
    if (this.loaded || this.byId.has(id)) return this.byId.get(id);
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

  /** With `lookup: false`, only the member list is consulted: no users.lookupByEmail call (Tier 3) is spent. */
  async byEmailAddress(email: string, options: { lookup?: boolean } = {}): Promise<DirectoryUser | undefined> {
    const key = email.toLowerCase();
    const listed = this.byEmail.get(key);
    if (listed) return listed;
    if (this.lookedUp.has(key)) return this.lookedUp.get(key) ?? undefined;
    if (options.lookup === false) return undefined;
    let found: DirectoryUser | undefined;
    try {
      const res = await this.slack.lookupByEmail(key);
      found = toDirectoryUser(res.user as SlackMember);
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== 'users_not_found') throw err;
    }
    const usable = found?.active ? found : undefined;
    this.lookedUp.set(key, usable ?? null);
    if (found) this.byId.set(found.id, found);
    return usable;
  }
}
