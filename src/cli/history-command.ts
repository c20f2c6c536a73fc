import { configPathFor } from './config-path.js';
import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { noComplianceRows, renderCompliance, renderNudgeLog, type HistoryFormat } from '../report/history.js';
import { nudgeLog } from '../report/nudge-log.js';
import { renderRootDeletions } from '../report/root-deletions.js';
import { rootDeletionRecords } from '../store/root-deletion-key.js';
import type { StateStore } from '../store/store.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { openStateForReading } from './read-state.js';

interface HistoryFlags {
  account?: string;
  user?: string;
  format: HistoryFormat;
  config?: string;
  scans?: string;
  root?: boolean;
}

/** The recorded root credential deletions of `account`, else of every account the stored scans cover. */
async function rootDeletions(store: StateStore, account: string | undefined) {
  const accounts = account ? [account] : [...new Set((await store.scanSummaries()).map((s) => s.accountId))];
  const found = await Promise.all(
    accounts.map(async (accountId) =>
      (await rootDeletionRecords(store, accountId)).map(({ record }) => ({ accountId, record })),
    ),
  );
  return found.flat();
}

export function registerHistory(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('history')
    .description(
      'for audits: compliance over time per account, or with --user the ' +
        'full nudge log of an IAM user (nudged, snoozed, escalated, fixed)',
    )
    .option('--account <id>', 'only this AWS account (12 digits)')
    .option('--user <name>', "an IAM user's nudge log instead of the compliance history")
    .option('--root', 'root credential deletions (who approved, when) instead of the compliance history')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--scans <n>', 'compliance: only the last N scans')
    .option('--config <file>', 'config file (YAML); default $MFA_BOT_CONFIG')
    .action(async (flags: HistoryFlags) => {
      const config = loadConfig(configPathFor(flags.config, io));
      if (flags.account !== undefined && !/^\d{12}$/.test(flags.account)) {
        io.stderr(`mfa-bot: --account must be a 12-digit AWS account ID, got "${flags.account}"\n`);
        return setExit(EXIT.usage);
      }
      const scans = flags.scans === undefined ? undefined : Number(flags.scans);
      if (scans !== undefined && !(Number.isInteger(scans) && scans > 0)) {
        io.stderr(`mfa-bot: --scans must be a positive whole number, got "${flags.scans}"\n`);
        return setExit(EXIT.usage);
      }
      const store = await openStateForReading(config, io);
      if (!store) return setExit(EXIT.state);
      try {
        const account = flags.account ? { accountId: flags.account } : {};
        if (flags.root) {
          io.stdout(renderRootDeletions(await rootDeletions(store, flags.account), flags.format));
        } else if (flags.user) {
          const filter = { ...account, userName: flags.user };
          const entries = nudgeLog(
            await store.cases(filter),
            await store.snoozes(filter),
            await store.helpRequests(filter),
          );
          io.stdout(renderNudgeLog(entries, flags.format, flags.user));
        } else {
          const summaries = await store.scanSummaries({ ...account, ...(scans ? { lastScans: scans } : {}) });
          const stored = summaries.length ? [] : [...new Set((await store.scanSummaries()).map((s) => s.accountId))];
          io.stdout(renderCompliance(summaries, flags.format, noComplianceRows(flags.account, stored)));
          // The table is for people: it lists the account's root deletions too (json and csv keep their shape).
          const deletions = flags.format === 'table' ? await rootDeletions(store, flags.account) : [];
          if (deletions.length) io.stdout(`\n${renderRootDeletions(deletions, 'table')}`);
        }
        setExit(EXIT.ok);
      } finally {
        await store.close();
      }
    });
}
