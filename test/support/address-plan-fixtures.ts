/**
 * Shared fixtures of the address-plan tests (test/envs/address-plan*.test.ts): the example's
 * three AZs and the smallest planner input, one cluster in 10.0.0.0/16.
 */
import type { AddressPlanInput } from '../../envs/address-plan';

export const AZS = ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'];
export const base: AddressPlanInput = {
  vpcCidr: '10.0.0.0/16',
  availabilityZones: AZS,
  clusters: ['main-01'],
};
