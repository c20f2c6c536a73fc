// An osls plugin (see `plugins` in serverless.yml): before `osls package` or `osls deploy` packages anything,
// it checks mfa-bot.yml, the config that is packaged with the code, builds the bundles itself, and completes the
// require-MFA policy (and, with enforcement on, the role's right to attach it) from the config, and with an
// organization grants the role policy/mfa-bot-root.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildLambda, FUNCTIONS } from './build-lambda.mjs';

const CONFIG = 'mfa-bot.yml';
const REQUIRE_MFA_DOCUMENT = join('policy', 'require-mfa.json');
const ROOT_ACCESS_POLICY = join('policy', 'mfa-bot-root.json');

/** The project's own config loader (src/config/load.ts), bundled for this check: the same rules as at run time. */
async function configLoader(serviceDir) {
  const outfile = join(serviceDir, '.build', 'config-check.mjs');
  await build({
    absWorkingDir: serviceDir,
    entryPoints: ['src/config/load.ts'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

export default class MfaBotPackaging {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = { 'before:package:initialize': () => this.prepare() };
  }

  fail(message) {
    throw new this.serverless.classes.Error(`mfa-bot: ${message}`);
  }

  async prepare() {
    const serviceDir = this.serverless.serviceDir;
    const table = this.serverless.service.custom.stateTableName;
    const example = `state: { dynamodbTable: ${table} }`;
    const path = join(serviceDir, CONFIG);
    if (!existsSync(path)) {
      this.fail(
        `${CONFIG} is missing: it is packaged with the code, and the functions ` +
          `read their settings from it. Copy mfa-bot.example.yml to ${CONFIG}, set ` +
          `slack.digestChannel, and add \`${example}\` (README: Deploy to AWS Lambda)`,
      );
    }
    const { loadConfig, ConfigError } = await configLoader(serviceDir);
    let config;
    try {
      config = loadConfig(path);
    } catch (err) {
      if (err instanceof ConfigError) this.fail(`${err.message.replace(path, CONFIG)}`);
      throw err;
    }
    const set = config.state.dynamodbTable;
    if (!set) {
      this.fail(
        `${CONFIG}: state.dynamodbTable is not set, so the functions would keep their state in a ` +
          `SQLite file, which Lambda does not keep. Add \`${example}\`: the table this stage creates`,
      );
    }
    if (set !== table) {
      this.fail(
        `${CONFIG}: state.dynamodbTable is ${set}, but this stage creates and may ` +
          `use ${table} only. Set \`${example}\`, or deploy with the stage that matches`,
      );
    }
    if (!config.slack.digestChannel)
      this.fail(`${CONFIG}: slack.digestChannel is not set: the scheduled scans post their digest there`);
    this.completeRequireMfaPolicy(serviceDir, config.enforcement);
    if (config.organization) this.grantRootAccess(serviceDir);
    const bytes = await buildLambda();
    this.log?.notice?.(
      `mfa-bot: ${CONFIG} checked (enforcement ${config.enforcement.enabled ? 'on' : 'off'}); ` +
        `built ${FUNCTIONS.length} functions into .build/lambda (${(bytes / 1024).toFixed(0)} KiB before zip)`,
    );
  }

  /**
   * With an organization: policy/mfa-bot-root.json, so the functions read the centralized root access (the scan,
   * `/mfa-check root`) and the worker deletes or audits member root credentials (sts:AssumeRoot, only with the
   * two task policies). Without one, the role has neither.
   */
  grantRootAccess(serviceDir) {
    const { Statement } = JSON.parse(readFileSync(join(serviceDir, ROOT_ACCESS_POLICY), 'utf8'));
    this.serverless.service.provider.iam.role.statements.push(...Statement);
  }

  /**
   * The require-MFA policy gets its name from the config and its document from policy/require-mfa.json; with
   * enforcement on, the functions' role may attach that one policy to this account's users and detach it
   * (policy/mfa-bot-enforce.json, narrowed to this account).
   */
  completeRequireMfaPolicy(serviceDir, enforcement) {
    const policy = this.serverless.service.resources.Resources.RequireMfaPolicy;
    policy.Properties.ManagedPolicyName = enforcement.policyName;
    policy.Properties.PolicyDocument = JSON.parse(readFileSync(join(serviceDir, REQUIRE_MFA_DOCUMENT), 'utf8'));
    if (!enforcement.enabled) return;
    const users = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' };
    this.serverless.service.provider.iam.role.statements.push(
      {
        Sid: 'AttachOnlyTheRequireMfaPolicy',
        Effect: 'Allow',
        Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
        Resource: users,
        Condition: { ArnEquals: { 'iam:PolicyARN': { Ref: 'RequireMfaPolicy' } } },
      },
      { Sid: 'ReadAttachedPolicies', Effect: 'Allow', Action: ['iam:ListAttachedUserPolicies'], Resource: users },
    );
  }
}
