import {
  ROOT_PRINCIPAL,
  type AccountSnapshot,
  type CredentialReportRow,
  type Partition,
} from '../../src/domain/types.js';

export const ACCOUNT = '111122223333';
export const NOW = new Date('2026-11-23T12:00:00Z');

export function userRow(
  user: string,
  over: Partial<CredentialReportRow> = {},
  partition: Partition = 'aws',
  accountId = ACCOUNT,
): CredentialReportRow {
  return {
    line: 2,
    user,
    arn: `arn:${partition}:iam::${accountId}:user/${user}`,
    userCreationTime: new Date('2024-01-01T00:00:00Z'),
    passwordEnabled: true,
    passwordLastUsed: null,
    passwordLastChanged: new Date('2024-01-01T00:00:00Z'),
    mfaActive: false,
    accessKey1Active: false,
    accessKey2Active: false,
    ...over,
  };
}

export function rootRow(
  over: Partial<CredentialReportRow> = {},
  partition: Partition = 'aws',
  accountId = ACCOUNT,
): CredentialReportRow {
  return userRow(
    ROOT_PRINCIPAL,
    { arn: `arn:${partition}:iam::${accountId}:root`, passwordEnabled: null, passwordLastChanged: null, ...over },
    partition,
    accountId,
  );
}

export function snapshot(over: Partial<AccountSnapshot> & { rows?: CredentialReportRow[] } = {}): AccountSnapshot {
  const { rows, ...rest } = over;
  return {
    accountId: ACCOUNT,
    partition: 'aws',
    credentialReport: { generatedAt: new Date('2026-11-23T10:00:00Z'), rows: rows ?? [rootRow()] },
    summary: { mfaEnabled: false, passwordPresent: true, accessKeysPresent: false },
    virtualMfaDevices: [],
    ...rest,
  };
}
