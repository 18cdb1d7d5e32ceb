// Baseline for `npm run bench`: a small app written the way the stock cdktf TypeScript
// template runs it — type-checking ts-node and imports from the provider package index.
// Not part of the product; excluded from tsconfig and lint.
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { provider, vpc, subnet } from '@cdktf/provider-aws';

class BaselineStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new provider.AwsProvider(this, 'aws', { region: 'eu-central-1' });
    const v = new vpc.Vpc(this, 'vpc', { cidrBlock: '10.0.0.0/16' });
    new subnet.Subnet(this, 'subnet', { vpcId: v.id, cidrBlock: '10.0.0.0/24' });
  }
}

const app = new App();
new BaselineStack(app, 'baseline');
app.synth();
