import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../support/until.js';
import { ADMIN, ANN, answerText, BOB, GROUP_ADMIN, startBotWorld, type BotWorld } from '../harness/bot.js';
import { createUsers, enableVirtualMfa, MOTO_ACCOUNT, motoClients } from '../../support/aws.js';
import { joinedRegExp } from '../../support/regexp.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

async function ask(text: string, userId: string, id: string): Promise<string> {
  const res = await w.command(text, userId, id);
  expect(res.status).toBe(200);
  const [answer] = await w.responses.waitFor(id);
  expect(answer!.body.response_type).toBe('ephemeral');
  return answerText(answer!.body);
}

describe('/mfa-check', () => {
  it('shows the caller’s own logins across accounts, with what to do next', async () => {
    const text = await ask('', ANN, 'ann-me');
    expect(text).toContain('ann.smith');
    expect(text).toContain('ann.ops');
    expect(text).toContain('No MFA');
    expect(text).toContain('Assign MFA device');
    expect(text).toMatch(/From the scan of .* \(\d+ minutes? ago\)/);
    expect(await ask('me', BOB, 'bob-me')).toContain('MFA on');
  });

  it('answers `help` and anything not understood with the usage', async () => {
    expect(await ask('help', BOB, 'help')).toContain('/mfa-check account ACCOUNT_ID');
    const odd = await ask('account 12345', BOB, 'malformed-account');
    expect(odd).toContain('exactly 12 digits');
    expect(odd).toContain('/mfa-check summary');
    const hostile = await ask('user <!channel>', BOB, 'malformed-user');
    expect(hostile).toContain('1 to 64');
    expect(hostile).not.toContain('<!channel>');
  });

  it('lets admins (listed or in the admin group) ask about someone else, and anyone about themselves', async () => {
    const byAdmin = await ask(`<@${ANN}|ann>`, ADMIN, 'admin-for-ann');
    expect(byAdmin).toContain(`AWS console logins of <@${ANN}>`);
    expect(byAdmin).toContain('ann.smith');
    expect(await ask(`<@${ANN}|ann>`, GROUP_ADMIN, 'group-admin-for-ann')).toContain('ann.smith');
    expect(await ask(`<@${ANN}|ann>`, ANN, 'ann-by-mention')).toContain('Your AWS console logins');
    expect(await ask('user ann.smith', ADMIN, 'admin-user')).toContain(`<@${ANN}>`);
    expect(await ask(`account ${MOTO_ACCOUNT}`, ADMIN, 'admin-account')).toContain('`ann.smith`: no MFA');
    expect(await ask('root', ADMIN, 'admin-root')).toContain('Root users');
    expect(await ask('summary', ADMIN, 'admin-summary')).toContain('MFA summary');
  });

  it('refuses a non-admin politely and identically, whoever or whatever they ask about', async () => {
    const questions = [
      `<@${ANN}|ann>`,
      '<@UNOBODY0001|ghost>',
      'user ann.smith',
      'user no-such-user',
      `account ${MOTO_ACCOUNT}`,
      'account 999999999999',
      'root',
      'summary',
    ];
    const answers = [];
    for (const [i, q] of questions.entries()) answers.push(await ask(q, BOB, `refused-${i}`));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain('Only MFA bot admins');
    expect(answers[0]).not.toContain('ann');
  });

  it('--fresh checks live: an MFA device added since the scan shows at once', async () => {
    expect(await ask('', ANN, 'before-fix')).toContain('No MFA');
    const { iam } = motoClients(w.moto);
    await enableVirtualMfa(iam, 'ann.smith', 'ann.smith-fresh');
    expect(await ask('', ANN, 'stale-scan')).toContain('No MFA');
    const fresh = await ask('--fresh', ANN, 'fresh');
    expect(fresh).toContain('Checked live with AWS');
    expect(fresh).not.toContain('No MFA');
  });

  it('`user NAME --fresh` finds an IAM user created since the scan', async () => {
    await createUsers(motoClients(w.moto).iam, [{ name: 'late.joiner', password: true }]);
    expect(await ask('user late.joiner', ADMIN, 'late-from-scan')).toContain(
      'No IAM user named `late.joiner` in the latest scan',
    );
    const live = await ask('user late.joiner --fresh', ADMIN, 'late-live');
    expect(live).toContain('No MFA');
    expect(live).toContain('_unmapped_');
  });

  it('does the work once when Slack retries a delivery (X-Slack-Retry-Num)', async () => {
    const form = { trigger_id: 'retried-trigger-1' };
    expect((await w.command('', ANN, 'retried', { form })).status).toBe(200);
    expect((await w.command('', ANN, 'retried', { form, retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    await w.responses.waitFor('retried');
    await new Promise((r) => setTimeout(r, 300));
    expect(w.responses.for('retried')).toHaveLength(1);
    expect(w.logs.join('')).toMatch(/ignored a repeated delivery of \/mfa-check \(retry 1, http_timeout\)/);
  });

  it('logs a response URL that fails (500) and keeps serving', async () => {
    w.responses.failWith('broken', 500);
    expect((await w.command('', ANN, 'broken')).status).toBe(200);
    await until(() => w.logs.join('').includes('could not be delivered'));
    expect(w.logs.join('')).toMatch(
      joinedRegExp(
        /\/mfa-check: the answer could not be delivered through the response URL /,
        /\(Failed to respond to the response_url: 500/,
      ),
    );
    expect(await ask('', ANN, 'after-broken')).toContain('ann.smith');
  });
});
