/**
 * The organization schema's SCP rules beyond single messages (those are in
 * test/envs/bad-input.test.ts): defaults at the root, exceptions turned into OU attachments,
 * generated environments with many OUs.
 */
import { exampleEnv, problemsOf } from '../../support/env';
import { SCP_NAMES, scpTargets } from '../../../envs/schema/organization';

describe('service control policies in the schema', () => {
  it('puts every built-in SCP at the root when the environment says nothing', () => {
    const env = exampleEnv((raw) => delete raw.organization.serviceControlPolicies);
    expect(scpTargets(env.organization)).toEqual(
      Object.fromEntries(SCP_NAMES.map((n) => [n, ['root']])),
    );
  });

  it('attaches a policy with exceptions to every other OU instead of the root', () => {
    const env = exampleEnv((raw) => {
      raw.organization.organizationalUnits.sandbox = { name: 'Sandbox' };
      raw.organization.serviceControlPolicies['region-allow-list'] = {
        exceptions: { sandbox: 'sandbox trials regions before they are allowed' },
      };
    });
    const targets = scpTargets(env.organization);
    expect(targets['region-allow-list']).toEqual(['security', 'workloads']);
    expect(targets['deny-root-user']).toEqual(['root']);
  });

  it('accepts a generated organization of 30 OUs with every SCP at the root', () => {
    const problems = problemsOf((raw) => {
      for (let i = 0; i < 30; i++)
        raw.organization.organizationalUnits[`ou-${i}`] = { name: `OU ${i}` };
    });
    expect(problems).toEqual([]);
  });

  it('counts OU attachments per OU against the quota', () => {
    const problems = problemsOf((raw) => {
      for (const n of SCP_NAMES)
        raw.organization.serviceControlPolicies[n] = { targets: ['workloads'] };
      raw.organization.adopt = { otherScpAttachments: { workloads: 1 } };
    });
    expect(problems).toEqual([
      'organization.serviceControlPolicies: OU "workloads" would have 6 SCPs attached (4 of this landing zone, 1 others and FullAWSAccess); AWS allows 5 per root, OU or account',
    ]);
  });
});
