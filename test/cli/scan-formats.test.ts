import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const REPORT = 'test/fixtures/credential-report-crlf.csv';

/**
 * The top-level attributes Security Hub requires of every finding given to BatchImportFindings,
 * from "Required top-level ASFF attributes"
 * (docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html)
 * and the AwsSecurityFinding API reference; each Resources entry needs Id and Type (API_Resource.html),
 * and Severity needs Label or Normalized (API_Severity.html).
 */
const ASFF_REQUIRED = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
];
const ASFF_RESOURCE_REQUIRED = ['Id', 'Type'];
const ASFF_SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const ASFF_COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];

/**
 * OCSF 1.1.0 Compliance Finding (class_uid 2003, schema.ocsf.io/1.1.0/classes/compliance_finding): every attribute
 * marked `"requirement": "required"` in the ocsf-schema repository at tag v1.1.0, read from its files: the class
 * (compliance), finding.json (finding_info), base_event.json (metadata, severity_id) and its includes
 * (classification: activity_id, category_uid, class_uid, type_uid; occurrence: time), and in the objects those name
 * (compliance: standards; finding_info: title, uid; metadata: product, version; product: vendor_name), plus the
 * cloud profile's (cloud; cloud: provider), since the findings carry it.
 */
const OCSF_REQUIRED = [
  'activity_id',
  'category_uid',
  'class_uid',
  'cloud',
  'compliance',
  'finding_info',
  'metadata',
  'severity_id',
  'time',
  'type_uid',
];
const OCSF_NESTED_REQUIRED: Record<string, string[]> = {
  cloud: ['provider'],
  compliance: ['standards'],
  finding_info: ['title', 'uid'],
  metadata: ['product', 'version'],
};

describe('mfa-bot scan --format asff', () => {
  it(
    'prints BatchImportFindings input: one finding per fail, grace ' +
      'or exempt principal and check, with every required attribute',
    async () => {
      const r = await runCli(['scan', '--credential-report', REPORT, '--format', 'asff', '--region', 'eu-west-1']);
      expect(r.code).toBe(1);
      // biome-ignore lint/suspicious/noExplicitAny: output walked field by field against the schema
      const { Findings } = JSON.parse(r.stdout) as { Findings: Array<Record<string, any>> };
      // The fixture: root fails root-mfa and root-hardware-mfa, two users fail, carol is in grace (see
      // scan-offline.test.ts).
      expect(Findings).toHaveLength(5);
      for (const f of Findings) {
        for (const key of ASFF_REQUIRED) expect(f[key], key).toBeDefined();
        for (const res of f.Resources)
          for (const key of ASFF_RESOURCE_REQUIRED) expect(res[key], `Resources.${key}`).toBeTruthy();
        expect(ASFF_SEVERITY_LABELS).toContain(f.Severity.Label);
        expect(ASFF_COMPLIANCE_STATUSES).toContain(f.Compliance.Status);
        expect(f.ProductArn).toBe('arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default');
        expect(f.Title.length).toBeLessThanOrEqual(256);
        expect(f.Workflow, "Workflow is Security Hub users' to set").toBeUndefined();
      }
      const carol = Findings.find((f) => f.Id.includes('carol'))!;
      expect(carol.Compliance).toEqual({
        Status: 'WARNING',
        RelatedRequirements: expect.arrayContaining(['IAM.5', 'CIS AWS Foundations Benchmark v3.0.0/1.10']),
      });
      expect(carol.ProductFields['mfa-bot/mfaDueBy']).toBe('2026-11-27T00:00:00.000Z');
      expect(carol.ProductFields['mfa-bot/nudges'], 'a plain scan has no nudge history').toBeUndefined();
      const root = Findings.find((f) => f.GeneratorId === 'mfa-bot/root-mfa')!;
      expect(root).toMatchObject({
        Severity: { Label: 'CRITICAL' },
        Compliance: { Status: 'FAILED' },
        Resources: [{ Type: 'AwsAccount' }],
      });
      expect(root.Compliance.RelatedRequirements).toContain('IAM.9');
      expect(root.Remediation.Recommendation.Url).toBe('https://console.aws.amazon.com/iam/home#/security_credentials');
    },
  );

  it('gives the same principal and check the same Id on every scan', async () => {
    const ids = async () =>
      (
        JSON.parse((await runCli(['scan', '--credential-report', REPORT, '--format', 'asff'])).stdout)
          .Findings as Array<{ Id: string }>
      )
        .map((f) => f.Id)
        .sort();
    const first = await ids();
    expect(await ids()).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it('keeps a hostile user name out of the title: only IAM name characters, at most 64 of them', async () => {
    const text = readFileSync(REPORT, 'utf8').replace(/^bob,/m, `${'<script>'.repeat(12)},`);
    const path = join(mkdtempSync(join(tmpdir(), 'mfa-bot-asff-')), 'r.csv');
    writeFileSync(path, text);
    const { Findings } = JSON.parse(
      (await runCli(['scan', '--credential-report', path, '--format', 'asff'])).stdout,
    ) as { Findings: Array<{ Title: string }> };
    const titles = Findings.map((f) => f.Title).join('\n');
    expect(titles).not.toContain('<');
    expect(titles).toContain('?script?');
  });
});

describe('mfa-bot scan --format ocsf', () => {
  it('prints OCSF Compliance Findings with every attribute the 1.1.0 schema requires', async () => {
    const r = await runCli(['scan', '--credential-report', REPORT, '--format', 'ocsf']);
    // biome-ignore lint/suspicious/noExplicitAny: output walked field by field against the schema
    const events = JSON.parse(r.stdout) as Array<Record<string, any>>;
    expect(events).toHaveLength(5);
    for (const e of events) {
      for (const key of OCSF_REQUIRED) expect(e[key], key).toBeDefined();
      for (const [obj, keys] of Object.entries(OCSF_NESTED_REQUIRED))
        for (const key of keys) expect(e[obj][key], `${obj}.${key}`).toBeDefined();
      expect(e.metadata.product.vendor_name).toBeTruthy();
      expect(e).toMatchObject({ class_uid: 2003, category_uid: 2, activity_id: 1, type_uid: 200301 });
      expect(e.severity_id).toBeGreaterThanOrEqual(1);
      expect(e.severity_id).toBeLessThanOrEqual(5);
      expect(e.time).toBe(Date.parse('2026-11-23T12:00:00Z'));
    }
    const carol = events.find((e) => e.finding_info.uid.includes('carol'))!;
    expect(carol.compliance).toMatchObject({ status_id: 2, status: 'Warning', control: 'IAM.5' });
    expect(carol.compliance.standards).toContain('CIS AWS Foundations Benchmark v3.0.0');
  });
});
