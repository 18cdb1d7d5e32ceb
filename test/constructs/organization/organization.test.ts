/**
 * The Organization construct on its own: OUs, accounts, adoption of existing resources.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Organization } from '../../../constructs/organization/organization';

type Props = ConstructorParameters<typeof Organization>[2];

function synthOrg(adopt?: Props['adopt'], extra: Partial<Props> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  const org = new Organization(stack, 'org', {
    organizationalUnits: { workloads: 'Workloads' },
    accounts: { production: { name: 'acme-production', email: 'p@acme.example', ou: 'workloads' } },
    adopt,
    ...extra,
  });
  return { org, json: JSON.parse(Testing.synth(stack)) };
}

describe('Organization', () => {
  it('creates everything when nothing is adopted', () => {
    const { json } = synthOrg();
    expect(json.import).toBeUndefined();
  });

  it('writes import blocks for the adopted organization, OUs and accounts', () => {
    const { json } = synthOrg({
      organizationId: 'o-abcd123456',
      organizationalUnits: { workloads: 'ou-ab12-cdef3456' },
      accounts: { production: '123456789012' },
    });
    const imports = (json.import as { id: string; to: string }[]).map((i) => [
      i.to.split('.')[0],
      i.id,
    ]);
    expect(imports).toEqual(
      expect.arrayContaining([
        ['aws_organizations_organization', 'o-abcd123456'],
        ['aws_organizations_organizational_unit', 'ou-ab12-cdef3456'],
        ['aws_organizations_account', '123456789012'],
      ]),
    );
  });

  it('names the access role of a member account and rejects unknown accounts', () => {
    const { org } = synthOrg();
    expect(org.accountAccessRoleArn('production')).toMatch(/:role\/OrganizationAccountAccessRole$/);
    expect(() => org.accountAccessRoleArn('staging')).toThrow(/unknown account "staging"/);
  });

  it('rejects an account in an unknown OU', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'bad');
    expect(
      () =>
        new Organization(stack, 'org', {
          organizationalUnits: {},
          accounts: { production: { name: 'p', email: 'p@acme.example', ou: 'workloads' } },
        }),
    ).toThrow('accounts.production.ou: unknown organizational unit "workloads"');
  });

  // aws_service_access_principals / enabled_policy_types are authoritative: the provider
  // disables what is enabled but not listed (hashicorp/terraform-provider-aws
  // internal/service/organizations/organization.go: disableServicePrincipal, disablePolicyType).
  const organization = (json: any) =>
    Object.values(json.resource.aws_organizations_organization)[0] as any;

  it('enables every trusted-access principal the landing zone uses, by default', () => {
    const principals = organization(synthOrg().json).aws_service_access_principals;
    // Principal names from each service's page in the Organizations user guide
    // (https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-<service>.html).
    expect(principals).toEqual(
      expect.arrayContaining([
        'sso.amazonaws.com',
        'cloudtrail.amazonaws.com',
        'config.amazonaws.com',
        'guardduty.amazonaws.com',
        'securityhub.amazonaws.com',
        'access-analyzer.amazonaws.com',
        'member.org.stacksets.cloudformation.amazonaws.com',
        'ram.amazonaws.com',
      ]),
    );
    expect(organization(synthOrg().json).enabled_policy_types).toEqual([
      'SERVICE_CONTROL_POLICY',
      'TAG_POLICY',
    ]);
  });

  it('adds configured principals and policy types to the defaults, once each', () => {
    const o = organization(
      synthOrg(undefined, {
        additionalServiceAccessPrincipals: ['backup.amazonaws.com', 'sso.amazonaws.com'],
        additionalPolicyTypes: ['RESOURCE_CONTROL_POLICY', 'BACKUP_POLICY'],
      }).json,
    );
    expect(o.aws_service_access_principals).toContain('backup.amazonaws.com');
    expect(
      o.aws_service_access_principals.filter((p: string) => p === 'sso.amazonaws.com'),
    ).toHaveLength(1);
    expect(o.aws_service_access_principals).toContain('ram.amazonaws.com');
    expect(o.enabled_policy_types).toEqual([
      'SERVICE_CONTROL_POLICY',
      'TAG_POLICY',
      'RESOURCE_CONTROL_POLICY',
      'BACKUP_POLICY',
    ]);
  });
});
