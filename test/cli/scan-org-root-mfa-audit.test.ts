import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOTO_ACCOUNT, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { createOrganization } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();

interface Doc {
  accounts: Array<{ accountId: string; rootMfa: string; rootMfaAudit?: unknown }>;
  findings: Array<{ check: string; accountId: string; status: string; reason: string }>;
}

function configWith(auditRootMfa: boolean): string {
  useMotoEnv(moto);
  const config = join(mkdtempSync(join(tmpdir(), 'mfa-root-audit-')), 'mfa-bot.yml');
  writeFileSync(
    config,
    `slack: { digestChannel: C0DIGEST001 }\norganization: { roleName: MfaBotAudit, auditRootMfa: ${auditRootMfa} }\n`,
  );
  return config;
}

/** `scan --org --format json` with organization.auditRootMfa as given. */
async function scanOrg(auditRootMfa: boolean): Promise<Doc> {
  const r = await runCli(['scan', '--org', '--format', 'json', '--config', configWith(auditRootMfa)], {
    now: new Date(),
  });
  return JSON.parse(r.stdout) as Doc;
}

const hardwareVerdict = (doc: Doc, accountId: string) =>
  doc.findings.find((f) => f.check === 'root-hardware-mfa' && f.accountId === accountId)!;

/** Three member roots with MFA: a passkey, a hardware TOTP token, a virtual device. */
async function membersWithRootMfa(features: { credentialsManagement: boolean; rootSessions: boolean }) {
  const { members } = await createOrganization(moto, { members: 3, ...features });
  const [passkey, totp, phone] = members as [string, string, string];
  await moto.setRoot({ accountId: passkey, mfaActive: true, mfaKind: 'passkey' });
  await moto.setRoot({ accountId: totp, mfaActive: true, mfaKind: 'hardware' });
  await moto.setRoot({ accountId: phone, virtualMfaSerial: `arn:aws:iam::${phone}:mfa/root-phone` });
  return { passkey, totp, phone };
}

describe('scan --org with organization.auditRootMfa', () => {
  it("root sessions on: each member root's devices are listed in a root session, and say their true kind", async () => {
    const { passkey, totp, phone } = await membersWithRootMfa({ credentialsManagement: true, rootSessions: true });
    await moto.resetCalls();
    const doc = await scanOrg(true);
    // One audit session per member; never the management account.
    expect((await moto.calls()).sts?.AssumeRoot).toBe(3);
    const account = (id: string) => doc.accounts.find((a) => a.accountId === id)!;
    expect(account(passkey)).toMatchObject({ rootMfa: 'hardware', rootMfaAudit: { devices: ['fido'] } });
    expect(account(totp)).toMatchObject({ rootMfa: 'hardware', rootMfaAudit: { devices: ['hardware_totp'] } });
    expect(account(phone)).toMatchObject({ rootMfa: 'virtual', rootMfaAudit: { devices: ['virtual'] } });
    expect(account(MOTO_ACCOUNT).rootMfaAudit).toBeUndefined();
    expect(hardwareVerdict(doc, passkey)).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('MFA devices are: FIDO security key or passkey.'),
    });
    expect(hardwareVerdict(doc, totp)).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('MFA devices are: hardware TOTP token.'),
    });
    expect(hardwareVerdict(doc, phone)).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('MFA devices are: virtual authenticator app.'),
    });
    // The digest's account sections say it too.
    const run = await runCli(['run', '--dry-run', '--config', configWith(true)], { now: new Date() });
    expect(run.stdout).toContain('Root MFA: FIDO security key or passkey (listed in a root session)');
    expect(run.stdout).toContain('Root MFA: hardware TOTP token (listed in a root session)');
  });

  it('off (the default): no root session, the kind is inferred as before', async () => {
    const { passkey } = await membersWithRootMfa({ credentialsManagement: true, rootSessions: true });
    await moto.resetCalls();
    const off = await scanOrg(false);
    expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(hardwareVerdict(off, passkey)).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('so its MFA is a security key or hardware token'),
    });
    expect(off.accounts.every((a) => a.rootMfaAudit === undefined)).toBe(true);
  });

  it('root sessions off in the organization: no root session either', async () => {
    await membersWithRootMfa({ credentialsManagement: true, rootSessions: false });
    await moto.resetCalls();
    const doc = await scanOrg(true);
    expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(doc.accounts.every((a) => a.rootMfaAudit === undefined)).toBe(true);
  });

  it('AWS refuses the root session: the kind is inferred, and the finding says why', async () => {
    // Root sessions on, but AssumeRoot refused for this task (root credentials management off).
    const { passkey } = await membersWithRootMfa({ credentialsManagement: false, rootSessions: true });
    const doc = await scanOrg(true);
    expect(doc.accounts.find((a) => a.accountId === passkey)).toMatchObject({
      rootMfa: 'hardware',
      rootMfaAudit: { error: expect.stringMatching(/^AccessDenied: /) },
    });
    expect(hardwareVerdict(doc, passkey)).toMatchObject({
      status: 'pass',
      reason: expect.stringMatching(/lists root's MFA devices failed: AccessDenied: .*The kind is inferred instead/),
    });
  });
});
