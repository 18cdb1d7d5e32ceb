/**
 * The Organization construct on its own: OUs, accounts, adoption of existing resources.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Organization } from '../../../constructs/organization/organization';

function synthOrg(adopt?: ConstructorParameters<typeof Organization>[2]['adopt']) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  const org = new Organization(stack, 'org', {
    organizationalUnits: { workloads: 'Workloads' },
    accounts: { production: { name: 'acme-production', email: 'p@acme.example', ou: 'workloads' } },
    adopt,
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
});
