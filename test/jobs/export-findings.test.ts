import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSecurityHubClient, importFindings } from '../../src/aws/security-hub.js';
import { parseConfig } from '../../src/config/load.js';
import { erroredAccount } from '../../src/domain/evaluate.js';
import type { AccountResult, ScanResult, Status, Verdict } from '../../src/domain/types.js';
import { exportToSecurityHub } from '../../src/jobs/export-findings.js';
import { MOTO_ACCOUNT, motoClients, motoClientConfig } from '../support/aws.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

const MEMBER = '111122223333';
const PRODUCT_ARN = `arn:aws:securityhub:us-east-1:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`;
const config = parseConfig({ securityHub: { enabled: true, region: 'us-east-1' } });

function verdict(accountId: string, principal: string, status: Status): Verdict {
  return {
    check: 'user-console-mfa',
    accountId,
    principal,
    arn: `arn:aws:iam::${accountId}:user/${principal}`,
    status,
    severity: 'high',
    reason: status === 'pass' ? 'Console password with MFA enabled.' : 'Console password without MFA.',
    controls: ['Security Hub IAM.5', 'CIS AWS Foundations v3.0.0 1.10'],
    remediation: 'Assign an MFA device.',
  };
}

function account(accountId: string, verdicts: Verdict[]): AccountResult {
  return { accountId, partition: 'aws', rootMfa: 'hardware', verdicts };
}

function scanAt(at: string, accounts: AccountResult[]): ScanResult {
  return { generatedAt: new Date(at), accounts };
}

describe('exportToSecurityHub against the emulator', () => {
  let moto: MotoServer;
  let hub: SecurityHubClient;
  const sent: AwsSecurityFinding[][] = [];
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    sent.length = 0;
    hub = createSecurityHubClient(motoClientConfig(moto));
    hub.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'BatchImportFindingsCommand')
          sent.push(structuredClone((args.input as { Findings: AwsSecurityFinding[] }).Findings));
        return next(args);
      },
      { step: 'initialize', name: 'recordImports' },
    );
  });

  const run = (scan: ScanResult) =>
    exportToSecurityHub({ aws: motoClients(moto), config, scan, now: scan.generatedAt, hub });
  const hubFinding = async (principal: string, accountId = MOTO_ACCOUNT) =>
    ((await hub.send(new GetFindingsCommand({}))).Findings ?? []).find(
      (f) => f.Id === `mfa-bot/${accountId}/user-console-mfa/${principal}`,
    );

  it(
    'fail → imported; unchanged re-import keeps the workflow ' +
      'status people set; fixed → PASSED, RESOLVED, ARCHIVED',
    async () => {
      const first = await run(
        scanAt('2026-11-23T08:00:00Z', [
          account(MOTO_ACCOUNT, [verdict(MOTO_ACCOUNT, 'bob', 'fail'), verdict(MOTO_ACCOUNT, 'alice', 'pass')]),
        ]),
      );
      expect(first).toMatchObject({ imported: 1, failed: [], open: 1, resolved: 0, productArn: PRODUCT_ARN });
      const created = await hubFinding('bob');
      expect(created).toMatchObject({
        ProductArn: PRODUCT_ARN,
        AwsAccountId: MOTO_ACCOUNT,
        RecordState: 'ACTIVE',
        Compliance: { Status: 'FAILED' },
        CreatedAt: '2026-11-23T08:00:00.000Z',
      });
      expect(await hubFinding('alice'), 'a passing user is not a finding').toBeUndefined();

      // A person marks it NOTIFIED. moto has no BatchUpdateFindings (the customer API for that), so the
      // change is written the only way moto stores one: an import that carries the Workflow.
      await hub.send(new BatchImportFindingsCommand({ Findings: [{ ...created!, Workflow: { Status: 'NOTIFIED' } }] }));
      sent.length = 0;

      await run(scanAt('2026-11-24T08:00:00Z', [account(MOTO_ACCOUNT, [verdict(MOTO_ACCOUNT, 'bob', 'fail')])]));
      expect(sent.flat().map((f) => f.Id)).toEqual([created!.Id]);
      expect(sent.flat()[0]!.Workflow, 'an open finding is re-imported without Workflow').toBeUndefined();
      const again = await hubFinding('bob');
      expect(again).toMatchObject({
        Workflow: { Status: 'NOTIFIED' },
        CreatedAt: '2026-11-23T08:00:00.000Z',
        UpdatedAt: '2026-11-24T08:00:00.000Z',
        RecordState: 'ACTIVE',
      });

      const fixed = await run(
        scanAt('2026-11-25T08:00:00Z', [account(MOTO_ACCOUNT, [verdict(MOTO_ACCOUNT, 'bob', 'pass')])]),
      );
      expect(fixed).toMatchObject({ imported: 1, open: 0, resolved: 1 });
      expect(await hubFinding('bob')).toMatchObject({
        Compliance: { Status: 'PASSED' },
        RecordState: 'ARCHIVED',
        Workflow: { Status: 'RESOLVED' },
        CreatedAt: '2026-11-23T08:00:00.000Z',
        UpdatedAt: '2026-11-25T08:00:00.000Z',
      });

      sent.length = 0;
      await run(scanAt('2026-11-26T08:00:00Z', [account(MOTO_ACCOUNT, [verdict(MOTO_ACCOUNT, 'bob', 'pass')])]));
      expect(sent.flat(), 'an archived finding is not sent again').toEqual([]);

      // A relapse reopens the same finding (Security Hub then resets its workflow to NEW by itself).
      await run(scanAt('2026-11-27T08:00:00Z', [account(MOTO_ACCOUNT, [verdict(MOTO_ACCOUNT, 'bob', 'fail')])]));
      expect(await hubFinding('bob')).toMatchObject({
        RecordState: 'ACTIVE',
        Compliance: { Status: 'FAILED' },
        CreatedAt: '2026-11-23T08:00:00.000Z',
      });
    },
  );

  it('resolves a finding whose user was deleted, but never one in an account the scan could not read', async () => {
    await run(
      scanAt('2026-11-23T08:00:00Z', [
        account(MOTO_ACCOUNT, [verdict(MOTO_ACCOUNT, 'gone', 'fail')]),
        account(MEMBER, [verdict(MEMBER, 'carol', 'fail')]),
      ]),
    );
    const unreadable = erroredAccount(
      MEMBER,
      'aws',
      { code: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole' },
      { settings: config.checks, now: new Date() },
    );
    const r = await run(scanAt('2026-11-24T08:00:00Z', [account(MOTO_ACCOUNT, []), unreadable]));
    expect(r).toMatchObject({ resolved: 1, failed: [] });
    expect(await hubFinding('gone')).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
    expect(await hubFinding('carol', MEMBER), 'no false PASSED for an account that could not be scanned').toMatchObject(
      { RecordState: 'ACTIVE', Compliance: { Status: 'FAILED' } },
    );

    // Not scanned at all (left out of the organization scan): also left alone.
    await run(scanAt('2026-11-25T08:00:00Z', [account(MOTO_ACCOUNT, [])]));
    expect(await hubFinding('carol', MEMBER)).toMatchObject({ RecordState: 'ACTIVE' });
  });

  it(
    'imports an organization scan into the account mfa-bot runs ' +
      'in, the member account named in the resource and product fields',
    async () => {
      await run(scanAt('2026-11-23T08:00:00Z', [account(MEMBER, [verdict(MEMBER, 'carol', 'fail')])]));
      const f = await hubFinding('carol', MEMBER);
      expect(f).toMatchObject({
        ProductArn: PRODUCT_ARN,
        AwsAccountId: MOTO_ACCOUNT,
        Resources: [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${MEMBER}:user/carol` }],
        ProductFields: { 'mfa-bot/accountId': MEMBER },
      });
    },
  );

  it('imports 250 findings in three calls of at most 100', async () => {
    const many = Array.from({ length: 250 }, (_, i) => verdict(MOTO_ACCOUNT, `u${i}`, 'fail'));
    const r = await run(scanAt('2026-11-23T08:00:00Z', [account(MOTO_ACCOUNT, many)]));
    expect(r).toMatchObject({ imported: 250, calls: 3 });
    expect(sent.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(
      (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).NextToken,
      'the hub pages GetFindings',
    ).toBeTruthy();
    // The next run reads all 250 back across pages and re-imports them as the same findings.
    await run(scanAt('2026-11-24T08:00:00Z', [account(MOTO_ACCOUNT, many)]));
    let count = 0;
    let NextToken: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, ...(NextToken ? { NextToken } : {}) }));
      count += page.Findings?.length ?? 0;
      NextToken = page.NextToken || undefined;
    } while (NextToken);
    expect(count).toBe(250);
  });

  it('returns the error instead of throwing when Security Hub refuses the call', async () => {
    // REST-JSON calls are named by method and path here: GetFindings is POST /findings.
    await moto.failNext('POST /findings', {
      code: 'InvalidAccessException',
      status: 401,
      message: 'Account is not subscribed to AWS Security Hub',
      service: 'securityhub',
      count: 1,
    });
    const r = await run(
      scanAt('2026-11-23T08:00:00Z', [account(MOTO_ACCOUNT, [verdict(MOTO_ACCOUNT, 'bob', 'fail')])]),
    );
    expect(r.error).toMatch(/InvalidAccessException/);
  });
});

describe('importFindings when Security Hub rejects findings', () => {
  it('sends failed findings again, and reports the ones that never got through', async () => {
    const mock = mockClient(SecurityHubClient);
    const batches: string[][] = [];
    mock.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      batches.push(input.Findings.map((f) => f.Id!));
      // Always reject a; reject b only the first time.
      const failed = input.Findings.filter((f) => f.Id === 'a' || (f.Id === 'b' && batches.length === 1));
      return {
        FailedCount: failed.length,
        SuccessCount: input.Findings.length - failed.length,
        FailedFindings: failed.map((f) => ({ Id: f.Id!, ErrorCode: 'InvalidInput', ErrorMessage: 'rejected' })),
      };
    });
    const r = await importFindings(
      new SecurityHubClient({ region: 'us-east-1' }),
      ['a', 'b', 'c'].map((Id) => ({ Id }) as AwsSecurityFinding),
      { sleep: async () => {} },
    );
    expect(batches).toEqual([['a', 'b', 'c'], ['a', 'b'], ['a']]);
    expect(r).toEqual({
      imported: 2,
      failed: [{ id: 'a', errorCode: 'InvalidInput', errorMessage: 'rejected' }],
      calls: 3,
    });
    mock.restore();
  });
});
