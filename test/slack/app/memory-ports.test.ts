import { IAMClient, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { ScanResult } from '../../../src/domain/types.js';
import type { SlackApi } from '../../../src/slack/api.js';
import { MemoryPorts, type ScanSource } from '../../../src/slack/app/memory-ports.js';
import { account, ACCOUNT, failingUser, passingUser, scan } from '../blocks/factories.js';

function source(result: ScanResult, tags: Record<string, Record<string, string>>): ScanSource & { scans: number } {
  const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(iam);
  mock.on(ListUserTagsCommand).callsFake((input: { UserName: string }) => ({ Tags: Object.entries(tags[input.UserName] ?? {}).map(([Key, Value]) => ({ Key, Value })), IsTruncated: false }));
  const s = {
    scans: 0,
    async scan() {
      s.scans += 1;
      await new Promise((r) => setTimeout(r, 20));
      return result;
    },
    clientsFor: (id: string) => (id === ACCOUNT ? { iam, sts: new STSClient({ region: 'us-east-1' }) } : undefined),
  };
  return s;
}

const config = parseConfig({ identity: { map: { mapped: 'UMAPPED0001' } } });
const theScan = scan([account({ verdicts: [failingUser('ann'), passingUser('bob'), failingUser('mapped'), { ...passingUser('apikeys'), status: 'not_applicable' }] })]);

describe('MemoryPorts', () => {
  it('has nothing before the first scan, then maps every console user it can', async () => {
    const src = source(theScan, { ann: { slack: 'UANN000001' }, bob: { slack: 'UBOB000001' }, apikeys: { slack: 'UAPI000001' } });
    const ports = new MemoryPorts({ source: src, config, now: () => new Date() });
    expect(await ports.latestScan()).toBeUndefined();
    expect(await ports.iamUsersOf('UANN000001')).toEqual([]);
    await Promise.all([ports.refresh(), ports.refresh()]);
    expect(src.scans).toBe(1);
    expect((await ports.latestScan())?.scan).toBe(theScan);
    expect(await ports.iamUsersOf('UANN000001')).toEqual([{ accountId: ACCOUNT, userName: 'ann' }]);
    expect(await ports.iamUsersOf('UBOB000001')).toEqual([{ accountId: ACCOUNT, userName: 'bob' }]);
    expect(await ports.iamUsersOf('UMAPPED0001')).toEqual([{ accountId: ACCOUNT, userName: 'mapped' }]);
    // No console password, no console login to ask about.
    expect(await ports.iamUsersOf('UAPI000001')).toEqual([]);
    expect(await ports.slackIdentityOf({ accountId: ACCOUNT, userName: 'ann' })).toMatchObject({ slackUserId: 'UANN000001', via: 'slack-tag' });
  });

  it('keeps going without e-mail matching when the Slack member list cannot be read', async () => {
    const warnings: string[] = [];
    const slack = { usersList: async () => Promise.reject(Object.assign(new Error('x'), { data: { error: 'missing_scope' } })) } as unknown as SlackApi;
    const ports = new MemoryPorts({
      source: source(theScan, { ann: { slack: 'UANN000001' }, bob: { email: 'bob@example.com' } }),
      config,
      slack,
      now: () => new Date(),
      log: { debug: () => {}, info: () => {}, warn: (m) => void warnings.push(m), error: () => {} },
    });
    await ports.refresh();
    expect(warnings.join()).toMatch(/cannot read the Slack member list \(missing_scope\)/);
    expect(await ports.iamUsersOf('UANN000001')).toHaveLength(1);
  });

  it('refuses a live check in an account it has no credentials for, and remembers snoozes, help and resolutions', async () => {
    const ports = new MemoryPorts({ source: source(theScan, {}), config, now: () => new Date('2026-11-23T12:00:00Z') });
    expect(await ports.recheck({ accountId: '999988887777', userName: 'ann' })).toMatchObject({ kind: 'error', error: { code: 'AccountNotReachable' } });
    const ref = { accountId: ACCOUNT, userName: 'ann' };
    await ports.snooze(ref, new Date('2026-11-24T12:00:00Z'), 'UANN000001');
    await ports.recordHelpRequest(ref, 'UANN000001', new Date());
    await ports.markResolved(ref, new Date());
    expect(ports.snoozes.get(`${ACCOUNT}/ann`)).toMatchObject({ by: 'UANN000001' });
    expect(ports.helpRequests).toHaveLength(1);
    expect(ports.resolved.has(`${ACCOUNT}/ann`)).toBe(true);
  });
});
