import { readFileSync } from 'node:fs';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../src/aws/clients.js';
import { parseConfig } from '../src/config/load.js';
import { runCycle } from '../src/jobs/cycle.js';
import { createUsers, motoClients } from './support/aws.js';
import { startMoto, type MotoServer } from './support/moto/index.js';

/** Calls AWS lets any principal make, which a policy cannot grant or deny. */
const NO_PERMISSION_NEEDED = new Set(['sts:GetCallerIdentity']);

function policyActions(path: string): Set<string> {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { Statement: Array<{ Effect: string; Action: string[] | string; Resource: string }> };
  const actions = doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  for (const a of actions) expect(a, 'no wildcards: least privilege').not.toContain('*');
  return new Set(actions);
}

/** Records `service:Action` for every command the SDK sends through these clients. */
function record(clients: AwsClients, sent: Set<string>): AwsClients {
  const recorder = (service: string): InitializeMiddleware<object, MetadataBearer> => (next, context) => (args) => {
    sent.add(`${service}:${String(context.commandName).replace(/Command$/, '')}`);
    return next(args);
  };
  clients.iam.middlewareStack.add(recorder('iam'), { step: 'initialize', name: 'recordCommands' });
  clients.sts.middlewareStack.add(recorder('sts'), { step: 'initialize', name: 'recordCommands' });
  return clients;
}

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe('policy/mfa-bot-readonly.json', () => {
  it('allows every AWS action the code sends, and nothing else', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [
      { name: 'bob', password: true, tags: { email: 'bob@example.com' } },
      { name: 'app', password: true, mfa: 'virtual' },
    ]);
    const sent = new Set<string>();
    // Every feature on, so every call path runs: the opt-in hardware check and the tag reads for nudges.
    const config = parseConfig({ checks: { userHardwareMfa: true, gracePeriodDays: 0 }, slack: { digestChannel: 'C0123456789' } });
    await runCycle({ aws: record(motoClients(moto), sent), config, now: () => new Date() }, { dryRun: true });

    const allowed = policyActions('policy/mfa-bot-readonly.json');
    const needed = [...sent].filter((a) => !NO_PERMISSION_NEEDED.has(a)).sort();
    expect(needed).toEqual([...allowed].sort());
    for (const a of allowed) expect(a).toMatch(/^iam:(Get|List|Generate)/);
  });
});
