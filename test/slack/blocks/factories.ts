import type { KnownBlock } from '@slack/types';
import { expect } from 'vitest';
import { verdictOf } from '../../../src/domain/checks/check.js';
import { rootHardwareMfa } from '../../../src/domain/checks/root-hardware-mfa.js';
import { rootMfa } from '../../../src/domain/checks/root-mfa.js';
import { userConsoleMfa } from '../../../src/domain/checks/user-console-mfa.js';
import { userHardwareMfa } from '../../../src/domain/checks/user-hardware-mfa.js';
import { addDays, isoDate } from '../../../src/domain/dates.js';
import { erroredAccount } from '../../../src/domain/evaluate.js';
import { applyExemptions } from '../../../src/domain/exemptions.js';
import { identityKey, type SlackIdentity } from '../../../src/domain/identity.js';
import {
  DEFAULT_CHECK_SETTINGS,
  ROOT_PRINCIPAL,
  type AccountError,
  type AccountResult,
  type Partition,
  type ScanResult,
  type Verdict,
} from '../../../src/domain/types.js';

export const ACCOUNT = '111122223333';
export const NOW = new Date('2026-11-23T12:00:00Z');
export const REPORT_AT = new Date('2026-11-23T09:00:00Z');

/** IAM names (and other AWS strings) that would be live Slack syntax if not escaped. */
export const HOSTILE = ['<!channel>', '<@U123>', '<https://evil|click>', 'a&b'] as const;

function userArn(accountId: string, user: string, partition: Partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:user/${user}`;
}

export function failingUser(user: string, accountId = ACCOUNT): Verdict {
  return verdictOf(
    userConsoleMfa,
    { accountId },
    user,
    userArn(accountId, user),
    'fail',
    'Console password without MFA: the password alone opens this login.',
  );
}

export function graceUser(user: string, deadline = addDays(NOW, 5), accountId = ACCOUNT): Verdict {
  return verdictOf(
    userConsoleMfa,
    { accountId },
    user,
    userArn(accountId, user),
    'grace',
    `New console password without MFA yet; MFA is due by ${isoDate(deadline)}.`,
    { deadline },
  );
}

export function passingUser(user: string, accountId = ACCOUNT): Verdict {
  return verdictOf(
    userConsoleMfa,
    { accountId },
    user,
    userArn(accountId, user),
    'pass',
    'Console password with MFA enabled.',
  );
}

/** An exempt verdict made the way the engine makes it: a failing one run through applyExemptions. */
export function exemptUser(user: string, reason: string, expires = addDays(NOW, 40), accountId = ACCOUNT): Verdict {
  const [v] = applyExemptions(
    [failingUser(user, accountId)],
    [{ account: accountId, principal: user, reason, expires }],
    NOW,
  );
  return v!;
}

export function rootMfaFail(accountId = ACCOUNT): Verdict {
  return verdictOf(
    rootMfa,
    { accountId },
    ROOT_PRINCIPAL,
    `arn:aws:iam::${accountId}:root`,
    'fail',
    'The root user has no MFA: anyone with its password can take over the whole account.',
  );
}

export function rootVirtualFail(serial: string, accountId = ACCOUNT): Verdict {
  return verdictOf(
    rootHardwareMfa,
    { accountId },
    ROOT_PRINCIPAL,
    `arn:aws:iam::${accountId}:root`,
    'fail',
    `The root user has a virtual MFA device assigned (${serial}). ` +
      'Any security key it may also have does not change that.',
  );
}

export function hardwareMfaFail(user: string, accountId = ACCOUNT): Verdict {
  return verdictOf(
    userHardwareMfa,
    { accountId },
    user,
    userArn(accountId, user),
    'fail',
    'No hardware MFA device; devices seen: virtual MFA app.',
  );
}

export function account(over: Partial<AccountResult> = {}): AccountResult {
  return {
    accountId: ACCOUNT,
    partition: 'aws',
    alias: 'prod',
    credentialReportGeneratedAt: REPORT_AT,
    rootMfa: 'hardware',
    rootCredentialsPresent: true,
    verdicts: [],
    ...over,
  };
}

export function brokenAccount(accountId: string, error: AccountError): AccountResult {
  return erroredAccount(accountId, 'aws', error, { settings: DEFAULT_CHECK_SETTINGS, now: NOW });
}

export function accountId(i: number): string {
  return String(100000000000 + i);
}

/** `n` failing console users named user-00000… in one account. */
export function manyFailing(n: number, id = ACCOUNT): Verdict[] {
  return Array.from({ length: n }, (_, i) => failingUser(`user-${String(i).padStart(5, '0')}`, id));
}

export function scan(accounts: AccountResult[]): ScanResult {
  return { generatedAt: new Date('2026-11-23T11:30:00Z'), accounts };
}

export function identities(entries: Array<[string, string, string]>): Map<string, SlackIdentity> {
  return new Map(
    entries.map(([acct, user, slackUserId]) => [identityKey(acct, user), { slackUserId, via: 'email-tag' as const }]),
  );
}

/**
 * The blocks serialized, minus button `value`s: what Slack renders and parses as mrkdwn. A value is
 * JSON for our own action handler; Slack never shows it or parses it.
 */
export function allText(blocks: readonly KnownBlock[]): string {
  return JSON.stringify(blocks, (key, value: unknown) => (key === 'value' ? undefined : value));
}

/**
 * Slack's limits, checked independently of src/slack/blocks/limits.ts so a bug there cannot hide a
 * violation here.
 */
export function expectWithinSlackLimits(blocks: readonly KnownBlock[]): void {
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(50);
  const json = JSON.stringify(blocks);
  expect(json.length).toBeLessThan(12_000);
  expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(13_000);
  const ids = blocks.map((b) => b.block_id).filter((id): id is string => id !== undefined);
  expect(new Set(ids).size).toBe(ids.length);
  for (const b of blocks) {
    if (b.type === 'header') {
      expect(b.text.type).toBe('plain_text');
      expect(b.text.text.length).toBeLessThanOrEqual(150);
      expect(b.text.text.length).toBeGreaterThan(0);
    } else if (b.type === 'section') {
      expect(b.text ?? b.fields).toBeDefined();
      if (b.text) {
        expect(b.text.text.length).toBeLessThanOrEqual(3000);
        expect(b.text.text.length).toBeGreaterThan(0);
      }
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(10);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    } else if (b.type === 'context') {
      expect(b.elements.length).toBeGreaterThan(0);
      expect(b.elements.length).toBeLessThanOrEqual(10);
    } else if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(25);
      for (const e of b.elements) {
        if (e.type === 'button') {
          expect(e.text.text.length).toBeLessThanOrEqual(75);
          expect((e.value ?? '').length).toBeLessThanOrEqual(2000);
        }
      }
    }
  }
}

/** None of the hostile strings may appear raw; each must appear escaped. */
export function expectHostileEscaped(serialized: string, names: readonly string[] = HOSTILE): void {
  for (const name of names) {
    if (/[<>]/.test(name)) expect(serialized).not.toContain(name);
    if (name.includes('&')) expect(serialized).not.toMatch(new RegExp(`${name.replace('&', '&(?!amp;)')}`));
    const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(serialized).toContain(escaped);
  }
}

/** The CSV rows (minus the header), parsed just enough to read the principal column. */
export function csvPrincipals(csv: string): string[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[2] ?? '');
}
