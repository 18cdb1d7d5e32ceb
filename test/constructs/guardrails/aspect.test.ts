/**
 * constructs/guardrails/aspect.ts: the guardrail aspect during cdktf synthesis, as the safety net
 * behind `checkGuardrails` (the rules themselves: rules.test.ts).
 */
import { Testing, TerraformStack, type App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { addGuardrails, checkGuardrails } from '../../../constructs/guardrails/check';
import { RULE_REGISTRY } from '../../../constructs/guardrails/rules';

describe('the aspect during cdktf synthesis', () => {
  /** A stack with one queue (encrypted when `compliant`) and the guardrail aspect. */
  function labApp(compliant = false): { app: App; stack: TerraformStack } {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    new SqsQueue(stack, 'q', { name: 'q', sqsManagedSseEnabled: compliant || undefined });
    addGuardrails([stack], { suppressions: [] });
    return { app, stack };
  }

  it('fails app.synth() with the rule and path when checkGuardrails was skipped', () => {
    const { app } = labApp();
    expect(() => app.synth()).toThrow(
      /\[lab\/q\] \[LZ-SQS-001\] lab\/q: neither sqs_managed_sse_enabled/,
    );
  });

  it('runs each rule once per resource: app.synth() reuses what checkGuardrails found', () => {
    const sqs = RULE_REGISTRY.find((r) => r.id === 'LZ-SQS-001')!;
    const check = jest.spyOn(sqs, 'check');
    try {
      const checked = labApp(true);
      checkGuardrails(checked.app, { guardrails: { suppressions: [] } });
      expect(check).toHaveBeenCalledTimes(1);
      checked.app.synth();
      expect(check).toHaveBeenCalledTimes(1); // not again during synthesis

      check.mockClear();
      labApp(true).app.synth(); // no checkGuardrails: the aspect is the safety net
      expect(check).toHaveBeenCalledTimes(1);
    } finally {
      check.mockRestore();
    }
  });

  it('adds nothing for a suppressed finding', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    new SqsQueue(stack, 'q', { name: 'q' });
    addGuardrails([stack], {
      suppressions: [
        {
          rule: 'LZ-SQS-001',
          resource: 'lab/q',
          reason: 'public sample events only, nothing sensitive',
        },
      ],
    });
    expect(() => app.synth()).not.toThrow();
  });
});
