/**
 * main.ts: cdktf's construct validations run once, without the CloudBackend's local
 * `terraform version` probe.
 */
import { App, CloudBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { constructValidationErrors } from '../main';

describe('constructValidationErrors', () => {
  it('reports a resource without its provider, with the construct path', () => {
    const app = new App({ skipValidation: true });
    const stack = new TerraformStack(app, 'no-provider');
    new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
    const errors = constructValidationErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-provider: .*provider/i);
  });

  it('does not run the CloudBackend check of the local terraform binary', () => {
    const app = new App({ skipValidation: true });
    const stack = new TerraformStack(app, 'cloud');
    const backend = new CloudBackend(stack, {
      organization: 'o',
      workspaces: new NamedCloudWorkspace('w'),
    });
    const spy = jest.spyOn(backend.node, 'validate');
    expect(constructValidationErrors(app)).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });
});
