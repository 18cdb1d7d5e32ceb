/**
 * The security stack's wiring (its resources are specified in
 * test/constructs/baseline/security-baseline.test.ts and security-baseline.services.test.ts): it deploys to the security account, asks
 * the TFC stack for a second dynamic-credentials configuration for the management account, and
 * maps every provider to one of the two configurations, the default provider included
 * ("you need to manually map authentication information for all providers including the
 * default provider":
 * https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations).
 */
import { sharedExample, synthApp, synthJson } from '../support/synth';
import { guardDutyRegions } from '../../envs/schema/security';

const lz = sharedExample();
const json = synthJson(lz.security);

describe('security stack', () => {
  it('deploys to the security account and reaches the management account with the MANAGEMENT configuration', () => {
    expect(lz.security.spec).toMatchObject({
      id: 'security',
      kind: 'security',
      account: 'security',
    });
    expect(lz.security.tfcAdditionalAwsAccounts).toEqual({ MANAGEMENT: 'management' });
  });

  it('declares tfc_aws_dynamic_credentials with the type TFC fills in', () => {
    expect(json.variable.tfc_aws_dynamic_credentials.type).toBe(
      'object({ default = object({ shared_config_file = string }), aliases = map(object({ shared_config_file = string })) })',
    );
  });

  it('maps every provider, the default one included, to a configuration; none assumes a role', () => {
    const providers = json.provider.aws as any[];
    // management + security account in each GuardDuty region: the allowed regions plus
    // us-east-1 (guardDutyRegions)
    expect(providers).toHaveLength(2 * guardDutyRegions(lz.security.env).length);
    for (const p of providers) {
      expect(p.assume_role).toBeUndefined();
      expect(p.shared_config_files).toMatch(
        /var\.tfc_aws_dynamic_credentials\.(default|aliases\.MANAGEMENT)\.shared_config_file/,
      );
    }
    expect(providers.find((p) => !p.alias).shared_config_files).toContain('aliases.MANAGEMENT');
  });

  it('places the trail and delegated-administrator registrations in the management account, the archive in the security account', () => {
    const trail = Object.values<any>(json.resource.aws_cloudtrail)[0];
    expect(trail.provider).toBeUndefined();
    for (const d of Object.values<any>(
      json.resource.aws_organizations_delegated_administrator ?? {},
    ))
      expect(d.provider).toBeUndefined();
    expect(Object.values<any>(json.resource.aws_s3_bucket)[0].provider).toBe('aws.security');
  });

  it('pins each provider to its account: management providers to the management account, the others to the security account', () => {
    // allowed_account_ids: https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs#allowed_account_ids;
    // the IDs come from the organization stack's outputs (remote state, known at plan), as a
    // whole-app synth wires them
    const synthesized = synthApp().security;
    const remote =
      '${data.terraform_remote_state.cross-stack-reference-input-organization.outputs.cross-stack-output-';
    for (const p of synthesized.provider.aws as any[]) {
      const management = /aliases\.MANAGEMENT/.test(p.shared_config_files);
      expect(p.allowed_account_ids).toHaveLength(1);
      const [id] = p.allowed_account_ids as string[];
      expect(id.startsWith(remote)).toBe(true);
      if (management) expect(id).toMatch(/aws_organizations_organization.*master_account_id\}$/);
      else expect(id).toMatch(/aws_organizations_accountorganization_account-security_.*id\}$/);
    }
  });
});
