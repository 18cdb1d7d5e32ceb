/**
 * The offline tier's shared provider servers (provider-server.ts). The reattach line's format is
 * terraform-plugin-go's managed debug output, as printed in its own example
 * (hashicorp/terraform-plugin-go cmd/terraform-provider-primes/README.md):
 * `TF_REATTACH_PROVIDERS='{"<address>":{"Protocol":"grpc","ProtocolVersion":5,"Pid":…,"Test":true,"Addr":{…}}}'`.
 * The mirror layout is Terraform's unpacked filesystem mirror
 * (https://developer.hashicorp.com/terraform/cli/config/config-file#filesystem_mirror).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mirroredBinary, reattachLine, sharedProviders } from './provider-server';
import { describeOffline } from './terraform';

const PRINTED = `Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:

\tTF_REATTACH_PROVIDERS='{"terraform.io/playground/primes":{"Protocol":"grpc","ProtocolVersion":5,"Pid":47254,"Test":true,"Addr":{"Network":"unix","String":"/var/folders/17/T/plugin2908212597"}}}'
`;

/** Terraform's `<os>_<arch>` folder for this machine (linux_amd64, darwin_arm64, …). */
const OS_ARCH = `${process.platform}_${{ x64: 'amd64', arm64: 'arm64' }[process.arch as string]}`;

describe('reattachLine', () => {
  it('reads the configuration a -debug provider prints', () => {
    expect(reattachLine(PRINTED)).toEqual({
      'terraform.io/playground/primes': {
        Protocol: 'grpc',
        ProtocolVersion: 5,
        Pid: 47254,
        Test: true,
        Addr: { Network: 'unix', String: '/var/folders/17/T/plugin2908212597' },
      },
    });
  });

  it('is undefined before the line is complete', () => {
    expect(reattachLine('Provider started.')).toBeUndefined();
    expect(reattachLine(PRINTED.slice(0, 180))).toBeUndefined();
  });
});

describe('mirroredBinary', () => {
  let mirror: string;
  beforeEach(() => (mirror = mkdtempSync(join(tmpdir(), 'lz-mirror-'))));
  afterEach(() => rmSync(mirror, { recursive: true, force: true }));

  it('finds terraform-provider-<type>_v<version>… in <address>/<version>/<os_arch>/', () => {
    const dir = join(mirror, 'registry.terraform.io/hashicorp/aws/5.100.0', OS_ARCH);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'terraform-provider-aws_v5.100.0_x5'), '');
    expect(mirroredBinary(mirror, 'registry.terraform.io/hashicorp/aws', '5.100.0')).toBe(
      join(dir, 'terraform-provider-aws_v5.100.0_x5'),
    );
    expect(mirroredBinary(mirror, 'registry.terraform.io/hashicorp/aws', '5.99.0')).toBeUndefined();
  });

  it('leaves a provider without an exact version to Terraform', () => {
    expect(sharedProviders(mirror, { aws: { source: 'aws', version: '~> 5.0' } })).toBeUndefined();
    expect(sharedProviders(mirror, { aws: { source: 'aws', version: '5.100.0' } })).toBeUndefined();
  });
});

describe('sharedProviders with a provider that fails', () => {
  let mirror: string;
  beforeEach(() => (mirror = mkdtempSync(join(tmpdir(), 'lz-mirror-'))));
  afterEach(() => rmSync(mirror, { recursive: true, force: true }));
  /** A stand-in provider binary `terraform-provider-<type>_v9.9.9_x5` running `script`. */
  const fake = (type: string, script: string) => {
    const dir = join(mirror, 'registry.terraform.io/hashicorp', type, '9.9.9', OS_ARCH);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `terraform-provider-${type}_v9.9.9_x5`), `#!/bin/sh\n${script}\n`, {
      mode: 0o755,
    });
    return { [type]: { source: `hashicorp/${type}`, version: '9.9.9' } };
  };

  it('one that exits at once: Terraform starts its own, without waiting out the timeout', () => {
    const started = Date.now();
    expect(sharedProviders(mirror, fake('exits', 'exit 3'))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sharedProviders(mirror, fake('exits', 'exit 3'))).toBeUndefined(); // remembered
  });

  it('one that dies after it printed its reattach line is not handed out again', () => {
    const address = 'registry.terraform.io/hashicorp/dies';
    const line = `{"${address}":{"Protocol":"grpc","ProtocolVersion":5,"Pid":$$,"Test":true,"Addr":{"Network":"unix","String":"/nonexistent"}}}`;
    const providers = fake('dies', `cat <<EOF\nTF_REATTACH_PROVIDERS='${line}'\nEOF\nsleep 0.3`);
    expect(JSON.parse(sharedProviders(mirror, providers)!)[address].Pid).toBeGreaterThan(0);
    // it exits 0.3 s after printing; within 10 s it is no longer handed out
    let value = sharedProviders(mirror, providers);
    for (const until = Date.now() + 10_000; value !== undefined && Date.now() < until;) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      value = sharedProviders(mirror, providers);
    }
    expect(value).toBeUndefined();
  });
});

describeOffline('the shared hashicorp/aws server of this run', (tf) => {
  it('serves registry.terraform.io/hashicorp/aws from a live process', () => {
    const value = sharedProviders(tf.mirror, { aws: { source: 'aws', version: '5.100.0' } });
    expect(value).toBeDefined();
    const config = JSON.parse(value!)['registry.terraform.io/hashicorp/aws'];
    expect(config).toMatchObject({ Protocol: 'grpc', ProtocolVersion: 5 });
    expect(() => process.kill(config.Pid, 0)).not.toThrow();
  });
});
