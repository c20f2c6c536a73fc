import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ENFORCEMENT_DETAIL_TYPE,
  enforcementDetail,
  publishEnforcementChange,
  ROOT_DELETION_DETAIL_TYPE,
  rootDeletionDetail,
} from '../../src/aws/findings-events.js';
import { motoEventBus } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const schema = JSON.parse(readFileSync('schema/enforcement-changed.schema.json', 'utf8')) as {
  title: string;
  required: string[];
  properties: Record<string, { enum?: string[]; pattern?: string }>;
};
const change = {
  change: 'enforced' as const,
  accountId: '111122223333',
  userName: 'ann',
  userArn: 'arn:aws:iam::111122223333:user/ann',
  policyArn: 'arn:aws:iam::111122223333:policy/MfaBotRequireMfa',
  decidedBy: 'UAPPROVER01',
  at: new Date('2026-12-10T09:00:00Z'),
};

describe('the MFA Enforcement Changed event', () => {
  it('carries exactly the fields its schema documents', () => {
    const detail = enforcementDetail(change);
    expect(schema.title).toBe(ENFORCEMENT_DETAIL_TYPE);
    expect(Object.keys(detail).sort()).toEqual([...schema.required].sort());
    expect(schema.properties.change!.enum).toContain(detail.change);
    expect(detail.accountId).toMatch(new RegExp(schema.properties.accountId!.pattern!));
    expect(detail.at).toBe('2026-12-10T09:00:00.000Z');
  });

  it('is published to the configured bus in one PutEvents call', async () => {
    const events = await motoEventBus(moto, 'security-findings');
    expect(await publishEnforcementChange(events, 'security-findings', change)).toEqual({ ok: true });
    expect((await moto.calls()).events!.PutEvents).toBe(1);
  });
});

describe('the MFA Root Credentials Deleted event', () => {
  it('carries exactly the fields its schema documents', () => {
    const rootSchema = JSON.parse(readFileSync('schema/root-credentials-deleted.schema.json', 'utf8')) as {
      title: string;
      required: string[];
      properties: { deleted: { required: string[] } };
    };
    const deleted = { password: true, accessKeys: 1, signingCertificates: 0, mfaDevices: 1 };
    const detail = rootDeletionDetail({ accountId: '111122223333', deleted, decidedBy: 'UAPPROVER01', at: change.at });
    expect(rootSchema.title).toBe(ROOT_DELETION_DETAIL_TYPE);
    expect(Object.keys(detail).sort()).toEqual([...rootSchema.required].sort());
    expect(Object.keys(detail.deleted).sort()).toEqual([...rootSchema.properties.deleted.required].sort());
  });
});
