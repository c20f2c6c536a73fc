import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUsers, motoClients } from './aws.js';
import { type FakeSlack, startFakeSlack } from './fake-slack/index.js';
import { type MotoServer, startMoto } from './moto/index.js';

export interface PacedFanOut {
  moto: MotoServer;
  slack: FakeSlack;
  /** The directory of the config file and the state file. */
  dir: string;
  config: string;
  stateFile: string;
}

/**
 * `people` failing IAM users matched by e-mail tags, and a fake Slack whose workspace takes one post a second:
 * a fan-out that is paced, so most DMs wait in the gate (for kill and stop tests).
 */
export async function pacedFanOut(people: number, channel: string, tmpPrefix: string): Promise<PacedFanOut> {
  const [moto, slack] = await Promise.all([
    startMoto(),
    startFakeSlack({ rateLimits: { postMessageWorkspace: { limit: 1, windowMs: 1_000, burst: 1 } } }),
  ]);
  slack.addChannel({ id: channel, name: 'security' });
  slack.addUsers(people, (i) => ({
    id: `U${String(i).padStart(10, '0')}`,
    name: `user${i}`,
    email: `user${i}@example.com`,
  }));
  await createUsers(
    motoClients(moto).iam,
    Array.from({ length: people }, (_, i) => ({
      name: `user${i}`,
      password: true,
      tags: { email: `user${i}@example.com` },
    })),
  );
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const config = join(dir, 'mfa-bot.yml');
  const stateFile = join(dir, 'state.db');
  const always = `workingHours: { start: '00:00', end: '24:00', days: [mon, tue, wed, thu, fri, sat, sun] }`;
  writeFileSync(
    config,
    `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: ${channel} ` +
      `}\nnudges: { enabled: true, ${always} }\nstate: { path: ${stateFile} }\n`,
  );
  return { moto, slack, dir, config, stateFile };
}
