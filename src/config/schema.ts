import { z } from 'zod';

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID');
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID such as U0123456789');
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C0123456789');

/** `2027-06-30` means the whole of that day (UTC); a full timestamp is taken as given. */
const expiryDate = z.union([z.string(), z.date()]).transform((value, ctx) => {
  if (value instanceof Date) return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(value)) return new Date(day.getTime() + 86_400_000);
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const t = new Date(value);
    if (!Number.isNaN(t.getTime())) return t;
  }
  ctx.addIssue({ code: 'custom', message: `"${value}" is not a date (use YYYY-MM-DD)` });
  return z.NEVER;
});

const checkId = z.enum(['root-mfa', 'root-hardware-mfa', 'user-console-mfa', 'user-hardware-mfa']);

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
          })
          .strict(),
      )
      .default([]),
    slack: z
      .object({
        digestChannel: slackChannelId.optional(),
        securityChannel: slackChannelId.optional(),
        admins: z.array(slackUserId).default([]),
        adminUserGroup: z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group ID such as S0123456789').optional(),
      })
      .strict()
      .default({ admins: [] }),
    identity: z
      .object({
        emailTag: z.string().min(1).default('email'),
        slackIdTag: z.string().min(1).default('slack'),
        emailDomain: z
          .string()
          .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain such as example.com')
          .optional(),
        map: z.record(z.string(), slackUserId).default({}),
      })
      .strict()
      .default({ emailTag: 'email', slackIdTag: 'slack', map: {} }),
    nudges: z
      .object({
        enabled: z.boolean().default(false),
      })
      .strict()
      .default({ enabled: false }),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
