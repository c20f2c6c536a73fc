import { describe, expect, it } from 'vitest';
import { approversFromConfig } from '../../src/bot/approvers.js';
import { configSchema } from '../../src/config/schema.js';

const admins = { isAdmin: async (id: string) => id === 'UADMIN' };

describe('approversFromConfig', () => {
  it('falls back to the Slack admins when enforcement.approvers is empty', async () => {
    const check = approversFromConfig(configSchema.parse({}), admins);
    expect(await check.isAdmin('UADMIN')).toBe(true);
    expect(await check.isAdmin('UOTHER')).toBe(false);
  });

  it('with approvers named, only they may decide: an admin who is not named may not', async () => {
    const check = approversFromConfig(configSchema.parse({ enforcement: { approvers: ['UAPPROVER'] } }), admins);
    expect(await check.isAdmin('UAPPROVER')).toBe(true);
    expect(await check.isAdmin('UADMIN')).toBe(false);
  });
});
