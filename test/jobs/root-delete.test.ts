import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { CLAIM_LEASE_MS } from '../../src/jobs/recover-claims.js';
import { deleteMemberRootCredentials } from '../../src/jobs/root-delete.js';
import { rootDeletionKey } from '../../src/store/root-deletion-key.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StateStore } from '../../src/store/store.js';
import { runHistory } from '../cli/history-cli.js';
import { MOTO_ACCOUNT, motoClients, motoEventBus } from '../support/aws.js';
import { createOrganization, MANAGEMENT_CREDENTIALS } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const APPROVER = 'UAPPROVER01';
const SECOND = 'UAPPROVER02';
const config = parseConfig({ organization: { roleName: 'MfaBotAudit' } });

let statePath = '';
const opened: StateStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  statePath = '';
});

/** A store on this test's SQLite file: each call is a separate connection, like another process. */
function openStore(): StateStore {
  statePath ||= join(mkdtempSync(join(tmpdir(), 'mfa-root-delete-')), 'state.db');
  const store = SqliteStateStore.open(statePath);
  opened.push(store);
  return store;
}

function deps(extra: { store?: StateStore; now?: () => Date; config?: typeof config } = {}) {
  const awsOptions = {
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: MANAGEMENT_CREDENTIALS,
    maxAttempts: 1,
  };
  const org = new OrganizationsClient(awsOptions);
  return { aws: motoClients(moto), org, config, awsOptions, store: openStore(), ...extra };
}

/** A store whose markSent never returns: the process dies between the deletion and its record. */
function crashingOnRecord(store: StateStore): StateStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'markSent') return () => Promise.reject(new Error('killed before the record'));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const rootStatuses = (verdicts: Array<{ check: string; principal: string; status: string }>) =>
  verdicts.filter((v) => v.principal === '<root_account>').map((v) => [v.check, v.status]);

/** Two approvers press at once: exactly one AssumeRoot; the outcome that deleted, and the other one. */
async function pressAtOnce(member: string, first: string, second: string) {
  await moto.resetCalls();
  const outcomes = await Promise.all([
    deleteMemberRootCredentials(deps(), member, first),
    deleteMemberRootCredentials(deps(), member, second),
  ]);
  expect((await moto.calls()).sts?.AssumeRoot).toBe(1);
  const winner = outcomes.find((o) => o.kind === 'deleted');
  expect(winner).toBeDefined();
  return { winner: winner!, other: outcomes.find((o) => o !== winner) };
}

describe('deleteMemberRootCredentials', () => {
  it('deletes through AssumeRoot and scans again: the root checks become not_applicable', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    await moto.setRoot({ accountId: members[0]!, accessKeysPresent: true, signingCertificatesPresent: true });
    const outcome = await deleteMemberRootCredentials(deps(), members[0]!, APPROVER);
    expect(outcome).toMatchObject({
      kind: 'deleted',
      accountId: members[0],
      approver: APPROVER,
      deleted: { password: true, accessKeys: 1, signingCertificates: 1, mfaDevices: 0 },
    });
    if (outcome.kind !== 'deleted') throw new Error('not deleted');
    expect(outcome.account.rootCredentialsPresent).toBe(false);
    expect(rootStatuses(outcome.account.verdicts)).toEqual([
      ['root-mfa', 'not_applicable'],
      ['root-hardware-mfa', 'not_applicable'],
    ]);
  });

  it('refuses the management account by name, and calls no AssumeRoot', async () => {
    await createOrganization(moto, { credentialsManagement: true });
    await moto.resetCalls();
    const d = deps();
    const outcome = await deleteMemberRootCredentials(d, MOTO_ACCOUNT, APPROVER);
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringContaining('management account') });
    expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(await d.store.delivery(rootDeletionKey(MOTO_ACCOUNT))).toBeUndefined();
  });

  it('refuses while root credentials management is off, saying where to turn it on', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: false });
    const outcome = await deleteMemberRootCredentials(deps(), members[0]!, APPROVER);
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringContaining('Root access management') });
  });

  it('says what AWS refused', async () => {
    await createOrganization(moto, { credentialsManagement: true });
    const outcome = await deleteMemberRootCredentials(deps(), '999999999999', APPROVER);
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^AccessDenied: .*not a member/) });
  });

  it('two approvers pressing at once: one deletion, the other is told who did it and when', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    const member = members[0]!;
    await moto.setRoot({ accountId: member, accessKeysPresent: true });
    const { winner, other } = await pressAtOnce(member, APPROVER, SECOND);
    expect(other).toMatchObject({ kind: 'already', by: winner!.approver, at: expect.any(Date) });
    expect(await openStore().delivery(rootDeletionKey(member))).toMatchObject({
      kind: 'root-credentials-deleted',
      state: 'sent',
      by: winner!.approver,
    });
    // A later press is told the same, and deletes nothing.
    const later = await deleteMemberRootCredentials(deps(), member, SECOND);
    expect(later).toMatchObject({ kind: 'already', by: winner!.approver, inProgress: false });
    expect((await moto.calls()).sts?.AssumeRoot).toBe(1);
  });

  it('a root that has credentials again after a recorded deletion is deleted again, once per race', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    const member = members[0]!;
    await moto.setRoot({ accountId: member, accessKeysPresent: true });
    const first = await deleteMemberRootCredentials(deps(), member, APPROVER);
    expect(first).toMatchObject({ kind: 'deleted', approver: APPROVER });
    expect(await deleteMemberRootCredentials(deps(), member, SECOND)).toMatchObject({ kind: 'already', by: APPROVER });
    // Someone gives the root a password and an access key again (say, through password recovery).
    await moto.setRoot({ accountId: member, accessKeysPresent: true });
    const { winner, other } = await pressAtOnce(member, SECOND, APPROVER);
    expect(winner).toMatchObject({ deleted: { password: true, accessKeys: 1 } });
    expect(other).toMatchObject({ kind: 'already', by: winner!.approver });
    const store = openStore();
    expect(await store.delivery(rootDeletionKey(member))).toMatchObject({ state: 'sent', by: APPROVER });
    expect(await store.delivery(rootDeletionKey(member, 2))).toMatchObject({ state: 'sent', by: winner!.approver });
    // Gone again: a later press deletes nothing, and names the second deletion.
    const later = await deleteMemberRootCredentials(deps(), member, SECOND);
    expect(later).toMatchObject({ kind: 'already', by: winner!.approver, inProgress: false });
    expect((await moto.calls()).sts?.AssumeRoot).toBe(1);
    // history lists both deletions.
    await Promise.all(opened.splice(0).map((s) => s.close()));
    const configPath = join(statePath, '..', 'c.yml');
    writeFileSync(configPath, `state: { path: ${JSON.stringify(statePath)} }\n`);
    const json = await runHistory([
      'history',
      '--root',
      '--account',
      member,
      '--format',
      'json',
      '--config',
      configPath,
    ]);
    expect((JSON.parse(json.stdout) as Array<{ by: string }>).map((r) => r.by)).toEqual([APPROVER, winner!.approver]);
  });

  it('a crash between the deletion and its record: the next press records it as done, without error', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    const member = members[0]!;
    await moto.setRoot({ accountId: member, accessKeysPresent: true });
    const crashed = deleteMemberRootCredentials(deps({ store: crashingOnRecord(openStore()) }), member, APPROVER);
    await expect(crashed).resolves.toMatchObject({ kind: 'refused' });
    expect(await openStore().delivery(rootDeletionKey(member))).toMatchObject({ state: 'claimed', by: APPROVER });
    await moto.resetCalls();
    const next = await deleteMemberRootCredentials(deps(), member, SECOND);
    expect(next).toMatchObject({ kind: 'already', by: APPROVER, inProgress: false });
    expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(await openStore().delivery(rootDeletionKey(member))).toMatchObject({ state: 'sent', by: APPROVER });
  });

  it('a claim left before the deletion: within the lease, told who is at it; after it, deletes', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    const member = members[0]!;
    await moto.setRoot({ accountId: member, accessKeysPresent: true });
    const key = rootDeletionKey(member);
    const t0 = new Date('2026-12-02T09:00:00Z');
    const store = openStore();
    await store.claim({
      key,
      kind: 'root-credentials-deleted',
      recipient: key.channel,
      claimId: 'dead',
      at: t0,
      by: APPROVER,
    });
    const soon = await deleteMemberRootCredentials(deps({ now: () => new Date(t0.getTime() + 1000) }), member, SECOND);
    expect(soon).toMatchObject({ kind: 'already', by: APPROVER, at: t0, inProgress: true });
    const late = new Date(t0.getTime() + CLAIM_LEASE_MS + 1000);
    const after = await deleteMemberRootCredentials(deps({ now: () => late }), member, SECOND);
    expect(after).toMatchObject({ kind: 'deleted', approver: SECOND, deleted: { password: true, accessKeys: 1 } });
    expect(await store.delivery(key)).toMatchObject({ state: 'sent', by: SECOND, attempts: 2 });
  });

  it('publishes "MFA Root Credentials Deleted" once when events.busName is set', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    await moto.setRoot({ accountId: members[0]!, accessKeysPresent: true });
    const events = await motoEventBus(moto, 'security-findings');
    const withBus = parseConfig({
      organization: { roleName: 'MfaBotAudit' },
      events: { busName: 'security-findings' },
    });
    const d = { ...deps({ config: withBus }), events };
    await deleteMemberRootCredentials(d, members[0]!, APPROVER);
    await deleteMemberRootCredentials(d, members[0]!, SECOND);
    expect((await moto.calls()).events?.PutEvents).toBe(1);
  });

  it('history shows who deleted which account root credentials, and when', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    await moto.setRoot({ accountId: members[0]!, accessKeysPresent: true });
    const at = new Date('2026-12-02T09:30:00Z');
    await deleteMemberRootCredentials(deps({ now: () => at }), members[0]!, APPROVER);
    await Promise.all(opened.splice(0).map((s) => s.close()));
    const configPath = join(statePath, '..', 'c.yml');
    writeFileSync(configPath, `state: { path: ${JSON.stringify(statePath)} }\n`);
    const table = await runHistory(['history', '--account', members[0]!, '--config', configPath]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Root credentials:');
    expect(table.stdout).toMatch(new RegExp(`2026-12-02 09:30 UTC .*${members[0]}.*deleted.*${APPROVER}`));
    const json = await runHistory([
      'history',
      '--root',
      '--account',
      members[0]!,
      '--format',
      'json',
      '--config',
      configPath,
    ]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ accountId: members[0], by: APPROVER, state: 'deleted', at: at.toISOString() }),
    ]);
  });
});
