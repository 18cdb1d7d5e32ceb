/**
 * constructs/guardrails/check.ts: suppressions, their validation and the error format, the
 * variable check of LZ-SECRET-001, and checking the synthesized JSON as main.ts does (the rules
 * themselves: rules.test.ts).
 */
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import {
  GuardrailError,
  checkGuardrails,
  describeReport,
} from '../../../constructs/guardrails/check';
import { RULES } from '../../../envs/guardrail-catalog';
import { problemsOf } from '../../support/env';
import { CASES } from '../../support/guardrail-cases';
import { FAKE_ACCESS_KEY_ID, ids, violations } from '../../support/guardrail-fixtures';

describe('suppressions', () => {
  const bad = CASES['LZ-SQS-001'].bad;
  const reason = 'queue carries only public sample events';

  it('exempt exactly the named resource for the named rule, and are reported', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    bad(stack);
    new SqsQueue(stack, 'other', { name: 'other' });
    const suppressions = [{ rule: 'LZ-SQS-001', resource: 'lab/q', reason }];
    let err: GuardrailError | undefined;
    try {
      checkGuardrails(app, { guardrails: { suppressions } });
    } catch (e) {
      err = e as GuardrailError;
    }
    expect(err?.violations.map((f) => f.path)).toEqual(['lab/other']);

    const ok = violations(bad, suppressions);
    expect(ok).toEqual([]);
    const app2 = Testing.app();
    bad(new TerraformStack(app2, 'lab'));
    const report = checkGuardrails(app2, { guardrails: { suppressions } });
    expect(report.suppressed.map((f) => [f.rule, f.path])).toEqual([['LZ-SQS-001', 'lab/q']]);
    expect(describeReport(report).join('\n')).toContain(
      `suppressed LZ-SQS-001 on lab/q (1 finding(s)): ${reason}`,
    );
  });

  it('do not exempt another rule on the same resource', () => {
    expect(ids(violations(bad, [{ rule: 'LZ-LOG-001', resource: 'lab/q', reason }]))).toEqual([
      'LZ-SQS-001',
    ]);
  });

  it('fail when the resource path matches nothing', () => {
    const app = Testing.app();
    bad(new TerraformStack(app, 'lab'));
    expect(() =>
      checkGuardrails(app, {
        guardrails: {
          suppressions: [
            { rule: 'LZ-SQS-001', resource: 'lab/q', reason },
            { rule: 'LZ-SQS-001', resource: 'lab/nope', reason },
          ],
        },
      }),
    ).toThrow('guardrails.suppressions[1].resource: "lab/nope" matches no resource');
  });

  it('fail on an unknown rule ID', () => {
    const app = Testing.app();
    new TerraformStack(app, 'lab');
    expect(() =>
      checkGuardrails(app, {
        guardrails: { suppressions: [{ rule: 'LZ-NOPE-001', resource: 'lab/q', reason }] },
      }),
    ).toThrow('guardrails.suppressions[0].rule: unknown rule "LZ-NOPE-001"');
  });

  it('warn when they match a resource that no longer violates', () => {
    const app = Testing.app();
    CASES['LZ-SQS-001'].good(new TerraformStack(app, 'lab'));
    const report = checkGuardrails(app, {
      guardrails: { suppressions: [{ rule: 'LZ-SQS-001', resource: 'lab/q', reason }] },
    });
    expect(describeReport(report)).toContain(
      '  warning: suppression of LZ-SQS-001 on lab/q matched no finding; remove it',
    );
  });

  it('are validated by the environment schema (rule, reason length, duplicates)', () => {
    const s = (list: unknown[]) => problemsOf((raw) => (raw.guardrails = { suppressions: list }));
    expect(s([{ rule: 'LZ-NOPE-001', resource: 'a/b', reason }])[0]).toMatch(
      /^guardrails\.suppressions\[0\]\.rule: unknown rule \(known: LZ-IMDS-001/,
    );
    expect(s([{ rule: 'LZ-SQS-001', resource: 'a/b', reason: 'because' }])).toEqual([
      'guardrails.suppressions[0].reason: must explain the exemption in at least 20 characters',
    ]);
    expect(
      s([
        { rule: 'LZ-SQS-001', resource: 'a/b', reason },
        { rule: 'LZ-SQS-001', resource: 'a/b', reason },
      ]),
    ).toEqual([
      'guardrails.suppressions[1]: duplicate suppression of LZ-SQS-001 for "a/b" (also suppressions[0])',
    ]);
  });
});

describe('the error', () => {
  it('lists every violation with its path, rule, problem, fix and how to suppress', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new SqsQueue(stack, 'q', { name: 'q' });
    new KmsKey(stack, 'key', {});
    let message = '';
    try {
      checkGuardrails(app, { guardrails: { suppressions: [] } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(
      'guardrails: 2 violation(s), 0 invalid suppression(s); nothing was synthesized',
    );
    expect(message).toContain(
      '[LZ-SQS-001] lab/q: neither sqs_managed_sse_enabled nor kms_master_key_id is set',
    );
    expect(message).toContain(`fix: ${RULES['LZ-SQS-001'].fix}`);
    expect(message).toContain('[LZ-PROTECT-001] lab/key:');
    expect(message).toContain(
      'or suppress: guardrails.suppressions: [{ rule: LZ-PROTECT-001, resource: lab/key, reason:',
    );
  });
});

describe('LZ-SECRET-001 on Terraform variables', () => {
  it('names the variable and what its default looks like', () => {
    const found = violations((s) => {
      new TerraformVariable(s, 'db_password', { type: 'string', default: 'hunter2hunter2' });
      new TerraformVariable(s, 'deploy_key', { type: 'string', default: FAKE_ACCESS_KEY_ID });
      new TerraformVariable(s, 'db_password_ref', { type: 'string', default: '${var.other}' });
    });
    expect(found.map((f) => [f.rule, f.path, f.address, f.problem])).toEqual([
      [
        'LZ-SECRET-001',
        'lab/db_password',
        'var.db_password',
        'variable "db_password" has a literal default',
      ],
      [
        'LZ-SECRET-001',
        'lab/deploy_key',
        'var.deploy_key',
        'default of variable "deploy_key" looks like an AWS access key ID',
      ],
    ]);
  });
});

describe('checking the synthesized JSON (main.ts)', () => {
  it('reads each configuration from the JSON it is given, not from the constructs', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new SqsQueue(stack, 'q', { name: 'q' }); // unencrypted: LZ-SQS-001 on the constructs
    const json = JSON.parse(Testing.synth(stack));
    const [id] = Object.keys(json.resource.aws_sqs_queue);
    json.resource.aws_sqs_queue[id].sqs_managed_sse_enabled = true;
    expect(() =>
      checkGuardrails(app, { guardrails: { suppressions: [] } }, { synthesized: () => json }),
    ).not.toThrow();
    expect(() => checkGuardrails(app, { guardrails: { suppressions: [] } })).toThrow(/LZ-SQS-001/);
  });
});
