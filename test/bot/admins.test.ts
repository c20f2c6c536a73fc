import { describe, expect, it } from 'vitest';
import { Admins } from '../../src/bot/admins.js';

function group(members: string[]) {
  const calls: string[] = [];
  let fail = false;
  return {
    calls,
    setFail: (f: boolean) => void (fail = f),
    setMembers: (m: string[]) => void members.splice(0, members.length, ...m),
    fn: async (id: string) => {
      calls.push(id);
      if (fail) throw new Error('no_such_subteam');
      return [...members];
    },
  };
}

describe('Admins', () => {
  it('counts slack.admins without asking Slack', async () => {
    const g = group([]);
    const admins = new Admins({ admins: ['UADMIN0001'], groupMembers: g.fn });
    expect(await admins.isAdmin('UADMIN0001')).toBe(true);
    expect(await admins.isAdmin('UOTHER0001')).toBe(false);
    expect(g.calls).toEqual([]);
  });

  it('reads the user group once per TTL, shared by concurrent callers', async () => {
    let t = 0;
    const g = group(['UGROUP0001']);
    const admins = new Admins({ admins: [], userGroup: 'S0ADMINS01', groupMembers: g.fn, ttlMs: 60_000, now: () => t });
    const answers = await Promise.all([
      admins.isAdmin('UGROUP0001'),
      admins.isAdmin('UOTHER0001'),
      admins.isAdmin('UGROUP0001'),
    ]);
    expect(answers).toEqual([true, false, true]);
    expect(g.calls).toEqual(['S0ADMINS01']);
    t = 30_000;
    await admins.isAdmin('UGROUP0001');
    expect(g.calls).toHaveLength(1);
    g.setMembers(['UOTHER0001']);
    t = 61_000;
    expect(await admins.isAdmin('UGROUP0001')).toBe(false);
    expect(await admins.isAdmin('UOTHER0001')).toBe(true);
    expect(g.calls).toHaveLength(2);
  });

  it('fails closed when the group cannot be read, and keeps the last known members', async () => {
    let t = 0;
    const warnings: string[] = [];
    const g = group(['UGROUP0001']);
    g.setFail(true);
    const log = { debug: () => {}, info: () => {}, warn: (m: string) => void warnings.push(m), error: () => {} };
    const admins = new Admins({
      admins: [],
      userGroup: 'S0ADMINS01',
      groupMembers: g.fn,
      ttlMs: 60_000,
      now: () => t,
      log,
    });
    expect(await admins.isAdmin('UGROUP0001')).toBe(false);
    expect(warnings[0]).toMatch(/only slack.admins count/);
    g.setFail(false);
    t = 20_000;
    expect(await admins.isAdmin('UGROUP0001')).toBe(true);
    g.setFail(true);
    t = 90_000;
    expect(await admins.isAdmin('UGROUP0001')).toBe(true);
    expect(warnings[1]).toMatch(/keeping the last known list/);
  });
});
