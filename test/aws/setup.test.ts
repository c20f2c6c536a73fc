import { describe, expect, it } from 'vitest';
import { checkRegion, isKnownRegion, nearbyRegions } from '../../src/aws/setup.js';

describe('region names, from the SDK partition data', () => {
  it('knows the regions of every partition, and nothing that only looks like one', () => {
    for (const r of ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1'])
      expect(isKnownRegion(r), r).toBe(true);
    for (const r of ['us-eats-1', 'eu-west-9', 'useast1', '']) expect(isKnownRegion(r), r).toBe(false);
  });

  it('suggests the regions one typo away', () => {
    expect(nearbyRegions('us-eats-1')).toEqual(['us-east-1']);
    expect(nearbyRegions('eu-west1')).toEqual(['eu-west-1']);
    expect(nearbyRegions('us-east-3')).toEqual(['us-east-1', 'us-east-2']);
    expect(() => checkRegion('mars-1', 'from AWS_REGION')).toThrow(
      '"mars-1" (from AWS_REGION) is not an AWS region: regions look like us-east-1 or eu-west-1',
    );
  });
});
