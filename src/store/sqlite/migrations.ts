import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * The schema, one numbered step at a time. A file is upgraded in place by running the steps it has not
 * had, each in its own transaction with its row in schema_migrations. Never edit a released step: add one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'scan history and posted digests',
    up: (db) =>
      db.exec(`
        CREATE TABLE scans (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          scanned_at TEXT NOT NULL,
          fingerprint TEXT NOT NULL
        );
        CREATE TABLE scan_accounts (
          scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
          account_id TEXT NOT NULL,
          partition TEXT NOT NULL,
          alias TEXT,
          report_generated_at TEXT,
          root_mfa TEXT NOT NULL,
          root_credentials_present INTEGER,
          error_code TEXT,
          error_message TEXT,
          error_hint TEXT,
          PRIMARY KEY (scan_id, account_id)
        ) WITHOUT ROWID;
        CREATE TABLE verdicts (
          scan_id INTEGER NOT NULL,
          account_id TEXT NOT NULL,
          principal TEXT NOT NULL,
          check_id TEXT NOT NULL,
          arn TEXT NOT NULL,
          status TEXT NOT NULL,
          reason TEXT NOT NULL,
          deadline TEXT,
          exemption_reason TEXT,
          exemption_expires TEXT,
          PRIMARY KEY (scan_id, account_id, principal, check_id)
        ) WITHOUT ROWID;
        CREATE TABLE digests (
          fingerprint TEXT PRIMARY KEY,
          scan_id INTEGER NOT NULL,
          channel TEXT NOT NULL,
          posted_at TEXT NOT NULL,
          ts TEXT
        );
      `),
  },
  {
    version: 2,
    name: 'nudge ledger, identities, claims',
    up: (db) =>
      db.exec(`
        CREATE TABLE identities (
          account_id TEXT NOT NULL,
          user_name TEXT NOT NULL,
          slack_user_id TEXT NOT NULL,
          via TEXT NOT NULL,
          email TEXT,
          tz TEXT,
          scan_id INTEGER NOT NULL,
          PRIMARY KEY (account_id, user_name)
        ) WITHOUT ROWID;
        CREATE INDEX identities_by_slack_user ON identities (slack_user_id);
        CREATE INDEX identities_by_scan ON identities (scan_id);

        CREATE TABLE nudge_cases (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          account_id TEXT NOT NULL,
          user_name TEXT NOT NULL,
          cycle INTEGER NOT NULL,
          opened_at TEXT NOT NULL,
          opened_status TEXT NOT NULL,
          snoozed_until TEXT,
          resolved_at TEXT,
          resolution TEXT,
          UNIQUE (account_id, user_name, cycle)
        );
        -- At most one open case per user, whoever races to open it.
        CREATE UNIQUE INDEX one_open_case ON nudge_cases (account_id, user_name) WHERE resolved_at IS NULL;

        CREATE TABLE deliveries (
          subject TEXT PRIMARY KEY,
          case_id INTEGER REFERENCES nudge_cases(id),
          step TEXT,
          kind TEXT NOT NULL,
          recipient TEXT NOT NULL,
          claim_id TEXT NOT NULL UNIQUE,
          claimed_at TEXT NOT NULL,
          attempts INTEGER NOT NULL,
          state TEXT NOT NULL,
          sent_at TEXT,
          channel TEXT,
          ts TEXT,
          error TEXT
        );
        CREATE INDEX deliveries_by_case ON deliveries (case_id);
        CREATE INDEX deliveries_in_flight ON deliveries (claimed_at) WHERE state = 'claimed';

        CREATE TABLE snoozes (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          case_id INTEGER NOT NULL REFERENCES nudge_cases(id),
          at TEXT NOT NULL,
          until TEXT NOT NULL,
          by TEXT
        );
        CREATE TABLE help_requests (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          account_id TEXT NOT NULL,
          user_name TEXT NOT NULL,
          slack_user_id TEXT NOT NULL,
          at TEXT NOT NULL,
          channel TEXT,
          ts TEXT,
          request_id TEXT UNIQUE
        );
        CREATE INDEX help_requests_by_user ON help_requests (account_id, user_name);

        -- Posted digests become deliveries like every other message.
        INSERT INTO deliveries (subject, kind, recipient, claim_id, claimed_at, attempts, state, sent_at, channel, ts)
          SELECT 'digest:' || channel || ':' || fingerprint, 'digest', channel, 'migrated-' || fingerprint,
            posted_at, 1, 'sent', posted_at, channel, ts
          FROM digests;
        DROP TABLE digests;
      `),
  },
  {
    version: 3,
    name: 'per-account counts for trends',
    up: (db) => {
      db.exec(`
        ALTER TABLE scan_accounts ADD COLUMN users_pass INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE scan_accounts ADD COLUMN users_fail INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE scan_accounts ADD COLUMN users_grace INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE scan_accounts ADD COLUMN users_exempt INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE scan_accounts ADD COLUMN failing INTEGER NOT NULL DEFAULT 0;
      `);
      // Scans saved before this step get their counts from their verdicts.
      db.exec(`
        UPDATE scan_accounts SET
          users_pass = (SELECT count(*) FROM verdicts v WHERE v.scan_id = scan_accounts.scan_id
            AND v.account_id = scan_accounts.account_id AND v.check_id = 'user-console-mfa' AND v.status = 'pass'),
          users_fail = (SELECT count(*) FROM verdicts v WHERE v.scan_id = scan_accounts.scan_id
            AND v.account_id = scan_accounts.account_id AND v.check_id = 'user-console-mfa' AND v.status = 'fail'),
          users_grace = (SELECT count(*) FROM verdicts v WHERE v.scan_id = scan_accounts.scan_id
            AND v.account_id = scan_accounts.account_id AND v.check_id = 'user-console-mfa' AND v.status = 'grace'),
          users_exempt = (SELECT count(*) FROM verdicts v WHERE v.scan_id = scan_accounts.scan_id
            AND v.account_id = scan_accounts.account_id AND v.check_id = 'user-console-mfa' AND v.status = 'exempt'),
          failing = (SELECT count(*) FROM verdicts v WHERE v.scan_id = scan_accounts.scan_id
            AND v.account_id = scan_accounts.account_id AND v.status = 'fail');
      `);
    },
  },
  {
    version: 4,
    name: 'cases opened by a live check',
    up: (db) => db.exec('ALTER TABLE nudge_cases ADD COLUMN live TEXT'),
  },
  {
    version: 5,
    name: 'account names from AWS Organizations',
    up: (db) => db.exec('ALTER TABLE scan_accounts ADD COLUMN name TEXT'),
  },
  {
    version: 6,
    name: 'e-mail misses and claims of Slack requests, with expiry',
    up: (db) =>
      db.exec(`
        CREATE TABLE email_misses (
          email TEXT PRIMARY KEY,
          expires_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE request_claims (
          request_key TEXT PRIMARY KEY,
          claimed_at TEXT NOT NULL,
          expires_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX request_claims_by_expiry ON request_claims (expires_at);
      `),
  },
  {
    version: 7,
    name: 'the latest live check of each IAM user',
    up: (db) =>
      db.exec(`
        CREATE TABLE live_checks (
          account_id TEXT NOT NULL,
          user_name TEXT NOT NULL,
          checked_at TEXT NOT NULL,
          found INTEGER NOT NULL,
          partition TEXT,
          verdicts TEXT NOT NULL,
          PRIMARY KEY (account_id, user_name)
        ) WITHOUT ROWID;
      `),
  },
  {
    version: 8,
    name: 'enforcement: exemptions granted in Slack, who decided a step, access key use',
    up: (db) =>
      db.exec(`
        CREATE TABLE exemptions (
          account_id TEXT NOT NULL,
          principal TEXT NOT NULL,
          reason TEXT NOT NULL,
          expires TEXT NOT NULL,
          granted_by TEXT NOT NULL,
          granted_at TEXT NOT NULL,
          PRIMARY KEY (account_id, principal, granted_at)
        ) WITHOUT ROWID;
        ALTER TABLE deliveries ADD COLUMN decided_by TEXT;
        ALTER TABLE verdicts ADD COLUMN keys_last_used TEXT;
      `),
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function currentVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Runs the steps after the file's version, up to `target` (tests stop early to build an old file). */
export function migrate(db: Database.Database, now: Date, target: number = LATEST_VERSION): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER ' +
      'PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version > target) break;
    // BEGIN IMMEDIATE: two processes opening an old file at once take turns; the second finds it done.
    db.transaction(() => {
      if (currentVersion(db) >= m.version) return;
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        now.toISOString(),
      );
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}
