import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { GENERATOR_PREFIX } from '../report/asff.js';
import { clientConfig, type AwsOptions } from './clients.js';

/** BatchImportFindings takes at most 100 findings a call. */
export const IMPORT_BATCH = 100;

export function createSecurityHubClient(aws: AwsOptions = {}): SecurityHubClient {
  return new SecurityHubClient(clientConfig(aws));
}

/** Every finding mfa-bot imported under this product ARN, active or archived. */
export async function mfaBotFindings(hub: SecurityHubClient, productArn: string): Promise<AwsSecurityFinding[]> {
  const found: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await hub.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
          GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
        },
        MaxResults: 100,
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    found.push(...(page.Findings ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  // The same filter again, here: it is cheap, and an emulator (moto) ignores GetFindings filters.
  return found.filter((f) => f.ProductArn === productArn && f.GeneratorId?.startsWith(GENERATOR_PREFIX));
}

export interface ImportResult {
  imported: number;
  failed: Array<{ id: string; errorCode: string; errorMessage?: string }>;
  calls: number;
}

/**
 * Imports findings a hundred to a call; the ones Security Hub reports as failed are sent again (up to
 * `attempts` times in all) before they are given up and reported.
 */
export async function importFindings(
  hub: SecurityHubClient,
  findings: readonly AwsSecurityFinding[],
  options: { attempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<ImportResult> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const result: ImportResult = { imported: 0, failed: [], calls: 0 };
  for (let i = 0; i < findings.length; i += IMPORT_BATCH) {
    let pending = findings.slice(i, i + IMPORT_BATCH);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const res = await hub.send(new BatchImportFindingsCommand({ Findings: pending }));
      result.calls++;
      const failures = new Map((res.FailedFindings ?? []).map((f) => [f.Id, f]));
      const retry: AwsSecurityFinding[] = [];
      for (const f of pending) {
        const failure = failures.get(f.Id);
        if (!failure) result.imported++;
        else if (attempt < attempts) retry.push(f);
        else
          result.failed.push({
            id: f.Id!,
            errorCode: failure.ErrorCode ?? 'Unknown',
            ...(failure.ErrorMessage ? { errorMessage: failure.ErrorMessage } : {}),
          });
      }
      pending = retry;
      if (pending.length > 0) await sleep(200 * 2 ** (attempt - 1));
    }
  }
  return result;
}
