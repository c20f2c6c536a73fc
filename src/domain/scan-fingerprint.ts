import { createHash } from 'node:crypto';
import type { ScanResult } from './types.js';

/**
 * Identifies what a scan found, not when it ran: the credential report each account was read from and
 * every verdict's status. AWS reuses a credential report for up to four hours, so two runs within that
 * time usually see the same report and produce the same fingerprint: the same scan, whose digest is
 * posted once.
 */
export function scanFingerprint(scan: ScanResult): string {
  const accounts = [...scan.accounts]
    .sort((a, b) => a.accountId.localeCompare(b.accountId))
    .map((a) => [
      a.accountId,
      a.credentialReportGeneratedAt?.toISOString() ?? null,
      a.rootMfa,
      a.rootCredentialsPresent ?? null,
      a.error?.code ?? null,
      a.verdicts
        .map(
          (v) =>
            `${v.check}|${v.principal}|${v.status}|${v.deadline?.toISOString() ?? ''}` +
            `|${v.exemption?.expires.toISOString() ?? ''}`,
        )
        .sort(),
    ]);
  return createHash('sha256').update(JSON.stringify(accounts)).digest('hex').slice(0, 32);
}
