import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IAM_EVENT_NAMES } from '../../src/lambda/realtime.js';
import { EXPIRES_AT, STATE_TABLE_DEFINITION } from '../../src/store/dynamodb/table.js';
import { createStack, managedPolicyDocument, MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import { CFN_TAGS } from '../support/cfn-tags.js';
import { useMoto } from '../support/use-moto.js';
import { zipEntries, type ZipEntry } from './zip-entries.js';
import { joinedRegExp } from '../support/regexp.js';

const FUNCTIONS = ['slack', 'worker', 'scheduled', 'realtime'];
/**
 * The whole package, zipped: well under Lambda's 50 MB, and small enough to cold-start fast. About 1.1 MB of code;
 * the chart renderer's WebAssembly and two fonts add 1.9 MB (vega is loaded only when a chart is drawn).
 */
const MAX_ZIP_BYTES = 4 * 1024 * 1024;
const LAMBDA_CONFIG = 'slack: { digestChannel: C0123456789 }\nstate: { dynamodbTable: mfa-bot-dev-state }\n';

const scratch: string[] = [];
const moto = useMoto();
const offline = {
  ...process.env,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  AWS_ACCESS_KEY_ID: 'none',
  AWS_SECRET_ACCESS_KEY: 'none',
};

/**
 * A checkout as a user has it before a deploy: the service definition, the scripts and the sources, with
 * `mfa-bot.yml` as given (or none), and nothing built yet.
 */
function checkout(config: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-checkout-'));
  scratch.push(dir);
  for (const file of ['serverless.yml', 'package.json', 'tsconfig.json']) cpSync(file, join(dir, file));
  cpSync('scripts', join(dir, 'scripts'), { recursive: true });
  cpSync('policy', join(dir, 'policy'), { recursive: true });
  symlinkSync(resolve('src'), join(dir, 'src'));
  symlinkSync(realpathSync('node_modules'), join(dir, 'node_modules'));
  if (config !== undefined) writeFileSync(join(dir, 'mfa-bot.yml'), config);
  return dir;
}

/** `npx osls package`, offline, in that checkout: what it printed, and whether it succeeded. */
function oslsPackage(dir: string, outDir: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      [resolve('node_modules/osls/bin/serverless.js'), 'package', '--package', outDir],
      { cwd: dir, stdio: 'pipe', env: offline, timeout: 120_000, encoding: 'utf8' },
    );
    return { ok: true, output };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let project: string;
let outDir: string;
let entries: ZipEntry[];
let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

// `npx osls package` in a fresh checkout, as CI and a deploy run it, offline: it checks the config and builds the
// bundles itself.
beforeAll(() => {
  project = checkout(LAMBDA_CONFIG);
  outDir = mkdtempSync(join(tmpdir(), 'mfa-bot-sls-'));
  scratch.push(outDir);
  const packaged = oslsPackage(project, outDir);
  if (!packaged.ok) throw new Error(packaged.output);
  entries = zipEntries(join(outDir, 'mfa-bot.zip'));
  template = JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 150_000);
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('npx osls package refuses a config that would deploy a broken bot', () => {
  it.each([
    [
      'no mfa-bot.yml',
      undefined,
      joinedRegExp(
        /mfa-bot: mfa-bot\.yml is missing: .*Copy mfa-bot\.example\.yml to mfa-bot\.yml, /,
        /set slack\.digestChannel, and add `state: \{ dynamodbTable: mfa-bot-dev-state \}`/,
      ),
    ],
    [
      'no state table (SQLite on Lambda)',
      'slack: { digestChannel: C0123456789 }\n',
      /mfa-bot: mfa-bot\.yml: state\.dynamodbTable is not set, .*Add `state: \{ dynamodbTable: mfa-bot-dev-state \}`/,
    ],
    [
      "another stage's table",
      'slack: { digestChannel: C0123456789 }\nstate: { dynamodbTable: mfa-bot-prod-state }\n',
      joinedRegExp(
        /mfa-bot: mfa-bot\.yml: state\.dynamodbTable is mfa-bot-prod-state, /,
        /but this stage creates and may use mfa-bot-dev-state only/,
      ),
    ],
    ['an invalid config', `${LAMBDA_CONFIG}slak: {}\n`, /mfa-bot: mfa-bot\.yml: unknown key "slak"/],
  ])(
    '%s',
    (_name, config, message) => {
      const dir = checkout(config);
      const out = join(dir, 'out');
      const r = oslsPackage(dir, out);
      expect(r.ok).toBe(false);
      expect(r.output).toMatch(message);
      expect(existsSync(join(out, 'mfa-bot.zip'))).toBe(false);
    },
    60_000,
  );
});

describe('npx osls package', () => {
  it('packages only the bundle: small, no node_modules, one entry file per function', () => {
    expect(statSync(join(outDir, 'mfa-bot.zip')).size).toBeLessThan(MAX_ZIP_BYTES);
    for (const e of entries)
      expect(e.name).toMatch(
        /^\.build\/lambda\/[\w./-]+\.mjs$|^\.build\/lambda\/chart-assets\/[\w.-]+$|^mfa-bot\.yml$/,
      );
    expect(entries.map((e) => e.name)).toContain('mfa-bot.yml');
    expect(entries.some((e) => e.name.includes('node_modules'))).toBe(false);
    for (const f of FUNCTIONS) expect(entries.map((e) => e.name)).toContain(`.build/lambda/${f}.mjs`);
  });

  it('bundles no package that only a devDependency brings in', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const { inputs } = JSON.parse(readFileSync(join(project, '.build/lambda-meta.json'), 'utf8')) as {
      inputs: string[];
    };
    const bundled = new Set(
      inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1]).filter((p): p is string => Boolean(p)),
    );
    expect(bundled.size).toBeGreaterThan(10);
    expect([...bundled].filter((p) => lock.packages[`node_modules/${p}`]?.dev)).toEqual([]);
    for (const dev of ['vitest', 'osls', 'esbuild', 'typescript', 'tsx', 'aws-sdk-client-mock', 'better-sqlite3'])
      expect(bundled.has(dev)).toBe(false);
  });

  it('each handler loads from the bundle alone, with no node_modules next to it', () => {
    const alone = mkdtempSync(join(tmpdir(), 'mfa-bot-bundle-'));
    scratch.push(alone);
    cpSync(join(project, '.build/lambda'), alone, { recursive: true });
    for (const f of FUNCTIONS) {
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(join(alone, `${f}.mjs`))}); console.log(typeof m.handler);`,
        ],
        { cwd: alone, encoding: 'utf8' },
      );
      expect(out.trim()).toBe('function');
    }
  });

  it('draws the digest chart from the package alone: the renderer and its files are in it', () => {
    const alone = mkdtempSync(join(tmpdir(), 'mfa-bot-chart-'));
    scratch.push(alone);
    cpSync(join(project, '.build'), join(alone, '.build'), { recursive: true });
    writeFileSync(join(alone, 'mfa-bot.yml'), `${LAMBDA_CONFIG}digest: { chart: weekly }\n`);
    const env = template.Resources.ScheduledLambdaFunction!.Properties.Environment as {
      Variables: Record<string, string>;
    };
    // A cold start of the scheduled function, as Lambda runs it (cwd is the package root); the job name is
    // refused only after the container's runtime, and with it the chart renderer, has loaded.
    const coldStart = (vars: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { handler } = await import('./.build/lambda/scheduled.mjs'); await handler({ job: 'none' });`,
        ],
        { cwd: alone, encoding: 'utf8', env: { PATH: process.env.PATH, SLACK_BOT_TOKEN: 'xoxb-1', ...vars } },
      );
    const withAssets = coldStart({
      MFA_BOT_CONFIG: env.Variables.MFA_BOT_CONFIG!,
      MFA_BOT_CHART_ASSETS: env.Variables.MFA_BOT_CHART_ASSETS!,
    });
    expect(withAssets.stderr).toContain('unknown job "none"');
    expect(withAssets.stdout).not.toMatch(/chart/);
    // Without the setting, the same package says once why it cannot draw the chart.
    const without = coldStart({ MFA_BOT_CONFIG: env.Variables.MFA_BOT_CONFIG! });
    expect(without.stderr).toContain('unknown job "none"');
    expect(without.stdout).toMatch(/ info .*digest\.chart is weekly, but this container cannot draw the chart/);
  });

  it('wires the four functions: the HTTP API route, the CloudTrail rule and the two schedules with a time zone', () => {
    const r = template.Resources;
    for (const f of ['Slack', 'Worker', 'Scheduled', 'Realtime'])
      expect(r[`${f}LambdaFunction`]?.Properties.Runtime).toBe('nodejs20.x');
    expect(r.HttpApiRoutePostSlackEvents?.Properties.RouteKey).toBe('POST /slack/events');
    const rule = Object.values(r).find((x) => x.Type === 'AWS::Events::Rule')!;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.iam'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['iam.amazonaws.com'],
        eventName: [
          'CreateLoginProfile',
          'UpdateLoginProfile',
          'DeleteLoginProfile',
          'EnableMFADevice',
          'DeactivateMFADevice',
          'DeleteVirtualMFADevice',
          'CreateUser',
        ],
      },
    });
    const schedules = Object.values(r).filter((x) => x.Type === 'AWS::Scheduler::Schedule');
    expect(schedules.map((s) => (s.Properties.Target as { Input: string }).Input).sort()).toEqual([
      '{"job":"nudges"}',
      '{"job":"scan"}',
    ]);
    for (const s of schedules) expect(s.Properties.ScheduleExpressionTimezone).toBe('UTC');
    const env = (r.SlackLambdaFunction!.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(env).toMatchObject({
      SLACK_BOT_TOKEN_PARAM: '/mfa-bot/slack-bot-token',
      SLACK_SIGNING_SECRET_PARAM: '/mfa-bot/slack-signing-secret',
      WORKER_FUNCTION_NAME: 'mfa-bot-dev-worker',
    });
    expect(JSON.stringify(env)).not.toMatch(/xox[bp]-/);
  });

  it(
    'one CloudTrail pattern everywhere: the realtime rule, the ' +
      "member accounts' forwarding rule, and the handler's list",
    () => {
      const rule = Object.values(template.Resources).find((x) => x.Type === 'AWS::Events::Rule')!;
      const audit = parse(readFileSync('policy/audit-role.cfn.yml', 'utf8'), { customTags: CFN_TAGS }) as {
        Resources: Record<string, { Condition?: string; Properties: Record<string, unknown> }>;
      };
      const forward = audit.Resources.IamEventsForwardRule!;
      expect(forward.Properties.EventPattern).toEqual(rule.Properties.EventPattern);
      expect((rule.Properties.EventPattern as { detail: { eventName: string[] } }).detail.eventName).toEqual([
        ...IAM_EVENT_NAMES,
      ]);
      // Forwarding is opt-in per stack, and may put events on the one bus it was given, nothing else.
      expect([forward.Condition, audit.Resources.IamEventsForwarderRole!.Condition]).toEqual([
        'ForwardIamEvents',
        'ForwardIamEvents',
      ]);
      expect(forward.Properties.Targets).toEqual([
        { Id: 'mfa-bot', Arn: 'ForwardIamEventsTo', RoleArn: 'IamEventsForwarderRole.Arn' },
      ]);
      const policies = audit.Resources.IamEventsForwarderRole!.Properties.Policies as Array<{
        PolicyDocument: { Statement: unknown[] };
      }>;
      expect(policies.flatMap((p) => p.PolicyDocument.Statement)).toEqual([
        { Effect: 'Allow', Action: 'events:PutEvents', Resource: 'ForwardIamEventsTo' },
      ]);
    },
  );

  it('lets only the organization put events on the default bus, and only when MFA_BOT_ORGANIZATION_ID is set', () => {
    const policy = template.Resources.MemberIamEventsPolicy as {
      Type: string;
      Condition?: string;
      Properties: { EventBusName: string; Statement: Record<string, unknown> };
    };
    expect(policy.Type).toBe('AWS::Events::EventBusPolicy');
    expect(policy.Condition).toBe('AcceptMemberIamEvents');
    expect(policy.Properties.EventBusName).toBe('default');
    expect(policy.Properties.Statement).toMatchObject({
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': '' } },
    });
    expect((template as unknown as { Conditions: Record<string, unknown> }).Conditions.AcceptMemberIamEvents).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['', ''] }],
    });
    // The role the member accounts' audit role must trust, for the StackSet's BotRoleArn.
    expect(template.Resources.IamRoleLambdaExecution?.Type).toBe('AWS::IAM::Role');
    expect(
      (template as unknown as { Outputs: Record<string, { Value: unknown }> }).Outputs.LambdaRoleArn?.Value,
    ).toEqual({ 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] });
  });

  it('defines the state table exactly as src/store/dynamodb/table.ts does', () => {
    const yml = parse(readFileSync('serverless.yml', 'utf8')) as {
      resources: { Resources: { StateTable: { Properties: Record<string, unknown> } } };
    };
    const table = yml.resources.Resources.StateTable.Properties;
    expect({
      AttributeDefinitions: table.AttributeDefinitions,
      KeySchema: table.KeySchema,
      BillingMode: table.BillingMode,
    }).toEqual(STATE_TABLE_DEFINITION);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: EXPIRES_AT, Enabled: true });
  });
});

type Template = typeof template;
type RoleStatement = { Sid?: string; Action: string[]; Resource: unknown; Condition?: unknown };

function roleStatements(t: Template): RoleStatement[] {
  const policies = t.Resources.IamRoleLambdaExecution!.Properties.Policies as Array<{
    PolicyDocument: { Statement: RoleStatement[] };
  }>;
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

describe('npx osls package: the require-MFA policy', () => {
  it('creates policy/require-mfa.json as MfaBotRequireMfa; enforcement off: the role cannot attach it', async () => {
    const policy = template.Resources.RequireMfaPolicy!;
    expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
    expect(policy.Properties.ManagedPolicyName).toBe('MfaBotRequireMfa');
    // Deployed as packaged, on CloudFormation: the policy IAM holds is the file, ${aws:username} and all.
    const body = JSON.stringify({ Resources: { RequireMfaPolicy: policy } });
    expect(await createStack(moto, 'mfa-bot-dev', body)).toBe('CREATE_COMPLETE');
    expect(
      await managedPolicyDocument(motoClients(moto).iam, `arn:aws:iam::${MOTO_ACCOUNT}:policy/MfaBotRequireMfa`),
    ).toEqual(JSON.parse(readFileSync('policy/require-mfa.json', 'utf8')));
    const actions = roleStatements(template).flatMap((s) => s.Action);
    for (const a of ['iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:ListAttachedUserPolicies'])
      expect(actions).not.toContain(a);
  });

  it('with enforcement on: the name from enforcement.policyName, and the role may attach that one policy', () => {
    const dir = checkout(`${LAMBDA_CONFIG}enforcement: { enabled: true, policyName: LimitedUntilMfa }\n`);
    const out = join(dir, 'out');
    const r = oslsPackage(dir, out);
    expect(r.ok, r.output).toBe(true);
    const enforced = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    expect(enforced.Resources.RequireMfaPolicy.Properties.ManagedPolicyName).toBe('LimitedUntilMfa');
    const statements = roleStatements(enforced).filter((st) => st.Action.some((a) => /UserPolic/.test(a)));
    expect(statements.map((st) => st.Action)).toEqual([
      ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
      ['iam:ListAttachedUserPolicies'],
    ]);
    // Attach and detach only that stack's policy, on this account's users.
    expect(statements[0]!.Condition).toEqual({ ArnEquals: { 'iam:PolicyARN': { Ref: 'RequireMfaPolicy' } } });
    for (const st of statements) expect(JSON.stringify(st.Resource)).toContain(':${AWS::AccountId}:user/*');
  }, 150_000);
});

describe('npx osls package: centralized root access', () => {
  it('with an organization, the role gets policy/mfa-bot-root.json; without one, no sts:AssumeRoot', () => {
    expect(roleStatements(template).flatMap((s) => s.Action)).not.toContain('sts:AssumeRoot');
    const dir = checkout(`${LAMBDA_CONFIG}organization: { roleName: MfaBotAudit }\n`);
    const out = join(dir, 'out');
    const r = oslsPackage(dir, out);
    expect(r.ok, r.output).toBe(true);
    const packaged = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    const root = JSON.parse(readFileSync('policy/mfa-bot-root.json', 'utf8')) as { Statement: RoleStatement[] };
    const statements = roleStatements(packaged);
    for (const st of root.Statement) expect(statements).toContainEqual(st);
  }, 150_000);
});
