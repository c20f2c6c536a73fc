import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';
import { CHECK_IDS } from '../domain/checks/registry.js';
import { isTimeZone } from '../domain/working-hours.js';

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID');
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID such as U0123456789');
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C0123456789');

/** `2027-06-30` means the whole of that day (UTC); a full timestamp is taken as given. */
const expiryDate = z.union([z.string(), z.date()]).transform((value, ctx) => {
  if (value instanceof Date) return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(value))
      return new Date(day.getTime() + 86_400_000);
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const t = new Date(value);
    if (!Number.isNaN(t.getTime())) return t;
  }
  ctx.addIssue({ code: 'custom', message: `"${value}" is not a date (use YYYY-MM-DD)` });
  return z.NEVER;
});

const checkId = z.enum(CHECK_IDS);

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const timeZone = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin or UTC' });
const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day as HH:MM, such as 09:00');
const cron = z
  .string()
  .refine((e) => isCronExpression(e), { message: "must be a cron expression such as '0 8 * * 1-5'" });

/** Minutes since midnight of a validated HH:MM. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

const workingHours = z
  .object({
    start: clockTime.default('09:00'),
    end: clockTime.default('17:00'),
    days: z
      .array(z.enum(WEEKDAYS, { message: `must list days as ${WEEKDAYS.join(', ')}` }))
      .min(1, 'needs at least one day')
      .refine((d) => new Set(d).size === d.length, { message: 'lists a day twice' })
      .default(['mon', 'tue', 'wed', 'thu', 'fri']),
  })
  .strict()
  // An end before the start is a night shift: the window runs past midnight into the next day.
  .refine((w) => minutesOfDay(w.end) !== minutesOfDay(w.start), {
    message: 'must differ from start (for all day, use 00:00 to 24:00)',
    path: ['end'],
  });

export const configSchema = z
  .object({
    checks: z
      .object({
        gracePeriodDays: z.number().int().min(0).max(365).default(7),
        rootHardwareMfa: z.boolean().default(true),
        userHardwareMfa: z.boolean().default(false),
      })
      .strict()
      .default({ gracePeriodDays: 7, rootHardwareMfa: true, userHardwareMfa: false }),
    exemptions: z
      .array(
        z
          .object({
            account: accountId,
            principal: z.string().min(1),
            reason: z.string().trim().min(3, 'needs a reason a person can read'),
            expires: expiryDate,
            checks: z.array(checkId).min(1).optional(),
            /** Who approved the exemption: shown with it in the evidence report (`mfa-bot report --format html`). */
            approvedBy: z.string().trim().min(1).optional(),
          })
          .strict(),
      )
      .default([]),
    slack: z
      .object({
        digestChannel: slackChannelId.optional(),
        securityChannel: slackChannelId.optional(),
        admins: z.array(slackUserId).default([]),
        adminUserGroup: z
          .string()
          .regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group ID such as S0123456789')
          .optional(),
        /**
         * Extra digests: each channel gets its own digest of just these accounts (the digest channel still gets them
         * all).
         */
        routes: z
          .array(
            z
              .object({
                channel: slackChannelId,
                accounts: z.array(accountId).default([]),
                /** Organizational units (with the OUs nested in them); needs an `organization` section. */
                ous: z
                  .array(
                    z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'must be an OU ID such as ou-ab12-cdef3456'),
                  )
                  .default([]),
              })
              .strict()
              .refine((r) => r.accounts.length + r.ous.length > 0, 'needs at least one account ID or OU ID'),
          )
          .default([]),
        /** Account ID → the Slack user who owns the account: they get its digest, root findings included, in a DM. */
        accountOwners: z.record(accountId, slackUserId).default({}),
      })
      .strict()
      .default({ admins: [], routes: [], accountOwners: {} }),
    identity: z
      .object({
        emailTag: z.string().min(1).default('email'),
        slackIdTag: z.string().min(1).default('slack'),
        emailDomain: z
          .string()
          .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain such as example.com')
          .optional(),
        /** IAM user name → Slack user ID: wins over every other rule. */
        map: z.record(z.string(), slackUserId).default({}),
        /**
         * Follow the Slack user ID in the slackIdTag tag; false ignores that tag (anyone with iam:TagUser can set it).
         */
        trustSlackIdTag: z.boolean().default(true),
        /**
         * users.lookupByEmail calls (Tier 3, about 50 a minute) one cycle may make when the member list was incomplete.
         */
        maxLookupsPerCycle: z.number().int().min(0).max(10_000).default(50),
        /** How long an address Slack did not know is not asked about again. */
        rememberMissesHours: z
          .number()
          .min(0)
          .max(24 * 90)
          .default(24),
      })
      .strict()
      .prefault({}),
    nudges: z
      .object({
        enabled: z.boolean().default(false),
        /**
         * Reminders this many days after the first nudge (counted from each previous one when a nudge went out late).
         */
        cadenceDays: z
          .array(z.number().positive('must be more than 0 days').max(365))
          .max(20, 'at most 20 steps; repeatEveryDays covers the rest')
          .refine((d) => d.every((v, i) => i === 0 || v > d[i - 1]!), {
            message: 'must be increasing days after the first nudge, such as [2, 5, 10]',
          })
          .default([2, 5, 10]),
        repeatEveryDays: z.number().positive('must be more than 0 days').max(365).default(7),
        workingHours: workingHours.prefault({}),
        escalateAfter: z.number().int().min(1, 'must be at least 1 nudge').max(100).default(3),
      })
      .strict()
      .prefault({}),
    schedule: z
      .object({
        scan: cron.default('0 8 * * 1-5'),
        nudges: cron.default('0 * * * *'),
        /** For the cron expressions, and the working hours of people whose Slack profile has no time zone. */
        timezone: timeZone.default('UTC'),
      })
      .strict()
      .prefault({}),
    state: z
      .object({
        /** SQLite file; relative paths are from the working directory. */
        path: z.string().trim().min(1, 'must be a file path').default('./data/mfa-bot.db'),
        /** A DynamoDB table (see src/store/dynamodb/table.ts) instead of the SQLite file: the state on AWS Lambda. */
        dynamodbTable: z
          .string()
          .regex(/^[\w.-]{3,255}$/, 'must be a DynamoDB table name (3 to 255 letters, digits, _ . -)')
          .optional(),
        /** Scans whose verdicts are kept; older ones keep only their per-account counts (history, trends). */
        keepScans: z
          .number()
          .int('must be a whole number')
          .min(2, 'must be at least 2 (the digest compares with the previous scan)')
          .default(30),
      })
      .strict()
      .prefault({}),
    /** Publish every finding that changed between scans to an EventBridge bus (off unless set). */
    events: z
      .object({
        busName: z.string().regex(/^[\w.\-/:]{1,256}$/, 'must be an EventBridge bus name or ARN'),
      })
      .strict()
      .optional(),
    /** Import the findings into AWS Security Hub after each scan of run, serve and Lambda (off unless set). */
    securityHub: z
      .object({
        enabled: z.boolean().default(false),
        /** The hub's region; default the region mfa-bot's AWS clients use. */
        region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * Limit a console login that stays without MFA to setting MFA up (the require-MFA policy), after a final notice and
     * a person's approval in Slack (off unless enabled).
     */
    enforcement: z
      .object({
        enabled: z.boolean().default(false),
        /** `request`: an approver decides in the security channel; `auto`: enforce when the final notice ends. */
        approval: z.enum(['request', 'auto']).default('request'),
        /** Days after the first nudge (or the end of grace) before the final-notice DM; 0 means no wait. */
        afterDays: z.number().min(0).max(365).default(14),
        /** Days from the final notice to the enforcement request (or, with auto approval, enforcement). */
        finalNoticeDays: z.number().min(0).max(365).default(3),
        /** Slack users who may press Enforce, 7 more days, Exempt and Lift; default the Slack admins. */
        approvers: z.array(slackUserId).default([]),
        /** IAM user names or IAM paths (ending in /, e.g. /breakglass/) never enforced. */
        never: z.array(z.string().min(1)).default([]),
        /** Also users with active access keys used in the last 90 days (the policy breaks their CLI without MFA). */
        includeKeyUsers: z.boolean().default(false),
        /** At most this many enforcements per run and account, so a mistake cannot lock out a company. */
        maxPerRun: z.number().int().min(1).max(1000).default(10),
        /** The customer-managed policy mfa-bot attaches (it never creates or edits it). */
        policyName: z
          .string()
          .regex(/^[\w+=,.@-]{1,128}$/, 'must be an IAM policy name such as MfaBotRequireMfa')
          .default('MfaBotRequireMfa'),
      })
      .strict()
      .prefault({}),
    /** What the digest carries besides its text. */
    digest: z
      .object({
        /** A PNG chart of coverage and open cases per account over 90 days in the digest's thread. */
        chart: z.enum(['weekly', 'daily', 'off']).default('weekly'),
      })
      .strict()
      .prefault({}),
    /** Scan every account of an AWS Organization (`mfa-bot scan --org`, and `run`/`serve` when present). */
    organization: z
      .object({
        roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name such as MfaBotAudit'),
        externalId: z.string().min(2).max(1224).optional(),
        accounts: z.array(accountId).min(1).optional(),
        excludeAccounts: z.array(accountId).default([]),
        concurrency: z.number().int().min(1).max(50).default(10),
        accountTimeoutSeconds: z.number().int().min(10).max(900).default(120),
        /** Organizations account tag naming the account's owner (a Slack user ID), who gets its root findings. */
        ownerTag: z.string().min(1).optional(),
        /**
         * Where the organization has root sessions on: list each member root's MFA devices in a root session
         * (IAMAuditRootUserCredentials) for their true kind, instead of inferring it from the virtual devices.
         */
        auditRootMfa: z.boolean().default(false),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
