import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { CredentialReport } from '../domain/types.js';
import { parseCredentialReportCsv } from './credential-report-csv.js';

export interface ReportPolling {
  /** Total time to wait for AWS to finish generating the report. */
  maxWaitMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Stops the polling (an account's time limit ran out). */
  signal?: AbortSignal;
}

export const DEFAULT_POLLING: ReportPolling = {
  maxWaitMs: 120_000,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class CredentialReportTimeoutError extends Error {
  override name = 'CredentialReportTimeout';
}

const RETRY_ON_GET = new Set([
  'ReportInProgress',
  'CredentialReportNotReadyException',
  'ReportNotPresent',
  'CredentialReportNotPresentException',
  'ReportExpired',
  'CredentialReportExpiredException',
]);

/**
 * Asks AWS for a credential report and waits for it. Generation is asynchronous and AWS reuses a report
 * for up to four hours, so the report's own GeneratedTime (not "now") says how fresh the data is.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  polling: Partial<ReportPolling> = {},
): Promise<CredentialReport & { csv: string }> {
  const p = { ...DEFAULT_POLLING, ...polling };
  let waited = 0;
  let delay = p.initialDelayMs;
  const backoff = async (what: string) => {
    p.signal?.throwIfAborted();
    if (waited >= p.maxWaitMs) {
      throw new CredentialReportTimeoutError(
        `the credential report was still ${what} after ${Math.round(waited / 1000)} s`,
      );
    }
    const ms = Math.min(delay, p.maxWaitMs - waited);
    await p.sleep(ms);
    p.signal?.throwIfAborted();
    waited += ms;
    delay = Math.min(delay * 2, p.maxDelayMs);
  };

  for (;;) {
    const generated = await iam.send(new GenerateCredentialReportCommand({}));
    if (generated.State !== 'COMPLETE') {
      await backoff(generated.State === 'STARTED' ? 'starting' : 'in progress');
      continue;
    }
    try {
      const report = await iam.send(new GetCredentialReportCommand({}));
      const csv = Buffer.from(report.Content ?? new Uint8Array()).toString('utf8');
      const generatedAt = report.GeneratedTime ?? new Date();
      const { rows, unreadable } = parseCredentialReportCsv(csv);
      return { generatedAt, rows, ...(unreadable.length > 0 ? { unreadableRows: unreadable } : {}), csv };
    } catch (err) {
      const name = (err as Error).name;
      if (!RETRY_ON_GET.has(name)) throw err;
      await backoff(
        name === 'ReportInProgress' || name === 'CredentialReportNotReadyException'
          ? 'in progress'
          : 'missing or expired',
      );
    }
  }
}
