/**
 * constructs/tfc/stack-edges.ts: the edges cdktf records when one stack reads another's
 * tokens, derived without preparing (resolving) a stack that `App.synth()` already prepared.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { crossStackEdges, trackPreparation } from '../../../constructs/tfc/stack-edges';

function twoStacks(outdir: string) {
  const app = new App({ outdir, skipValidation: true });
  const producer = new TerraformStack(app, 'producer');
  new AwsProvider(producer, 'aws', { region: 'eu-central-1' });
  const vpc = new Vpc(producer, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const consumer = new TerraformStack(app, 'consumer');
  new AwsProvider(consumer, 'aws', { region: 'eu-central-1' });
  new TerraformOutput(consumer, 'vpc', { value: vpc.id });
  return { app, producer, consumer };
}

describe('crossStackEdges', () => {
  let outdir: string;
  beforeEach(() => (outdir = mkdtempSync(join(tmpdir(), 'lz-edges-'))));
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it('prepares unprepared stacks and finds the edge cdktf records', () => {
    const { producer, consumer } = twoStacks(outdir);
    trackPreparation([producer, consumer]);
    const first = jest.spyOn(consumer, 'prepareStack');
    expect(crossStackEdges([producer, consumer])).toEqual([{ producer, consumer }]);
    expect(first).toHaveBeenCalledTimes(1);
  });

  it('does not prepare a tracked stack a second time', () => {
    const { producer, consumer } = twoStacks(outdir);
    trackPreparation([producer, consumer]);
    trackPreparation([producer]); // idempotent: one wrapper
    consumer.prepareStack();
    producer.prepareStack();
    const again = [jest.spyOn(producer, 'prepareStack'), jest.spyOn(consumer, 'prepareStack')];
    expect(crossStackEdges([producer, consumer])).toEqual([{ producer, consumer }]);
    for (const spy of again) expect(spy).not.toHaveBeenCalled();
  });

  it('throws when a stack depends on a stack outside the list', () => {
    const { consumer } = twoStacks(outdir);
    expect(() => crossStackEdges([consumer])).toThrow(
      'stack "consumer" references stack "producer", which has no workspace',
    );
  });
});
