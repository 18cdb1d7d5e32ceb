/**
 * Test fixture for the platform stack: a stub of the cluster stack's outputs (literal
 * values, so no cluster stack is needed), a platform stack built from the example
 * environment (optionally edited), and readers for its synthesized Helm releases.
 */
import { Testing } from 'cdktf';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import type { ClusterOutputs } from '../../stacks/contracts';
import { PlatformStack } from '../../stacks/platform-stack';
import { planStacks } from '../../stacks/plan';
import type { ClusterAddOn } from '../../constructs/addons/addon';
import { exampleEnv } from '../support/env';
import { referenceFile } from '../support/conformance';

/** Literal cluster outputs for `acme-main-01`. */
export const STUB_CLUSTER: ClusterOutputs = {
  clusterName: 'acme-main-01',
  clusterEndpoint: 'https://ABCDEF0123456789.gr7.eu-central-1.eks.amazonaws.com',
  clusterCertificateAuthority: 'LS0tLS1CRUdJTi0tLS0t',
  clusterSecurityGroupId: 'sg-0123456789abcdef0',
  vpcId: 'vpc-0123456789abcdef0',
  karpenter: {
    nodeRoleName: 'acme-main-01-karpenter-node',
    interruptionQueueName: 'acme-main-01-karpenter',
    controllerRoleArn: 'arn:aws:iam::111111111111:role/acme-main-01-karpenter',
  },
  addonRoleArns: {},
  zone: { id: 'Z0123456789ABCDEFGHIJ', name: 'main-01.acme.example' },
  certificateArn:
    'arn:aws:acm:eu-central-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
  buckets: {
    postgresBackups: 'acme-main-01-postgres-backups',
    dagsterComputeLogs: 'acme-main-01-dagster-logs',
  },
  secretsPrefix: 'acme/main-01/',
};

/** A platform stack for `main-01` of the example (edited by `edit`), local backend. */
export function buildPlatform(
  edit?: (raw: Record<string, any>) => void,
  applicationAddOns: ClusterAddOn[] = [],
): PlatformStack {
  const env = exampleEnv(edit);
  const spec = planStacks(env).find((s) => s.id === 'platform-main-01');
  if (!spec) throw new Error('no platform-main-01 stack');
  return new PlatformStack(Testing.app(), {
    env,
    spec,
    backend: 'local',
    cluster: STUB_CLUSTER,
    applicationAddOns,
  });
}

/** The parsed synthesized JSON of a platform stack. */
export function synthPlatform(stack: PlatformStack): Record<string, any> {
  return JSON.parse(Testing.synth(stack));
}

/** Every `helm_release` of a synthesized stack, by its release `name`. */
export function releases(json: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [logical, r] of Object.entries<any>(json.resource?.helm_release ?? {})) {
    out[r.name] = { ...r, logicalId: logical };
  }
  return out;
}

/** A release's values (its first `values` document), parsed. */
export function valuesOf(release: any): Record<string, any> {
  return parse(release.values[0]) ?? {};
}

/** The objects of a manifests release. */
export function manifestsOf(release: any): Record<string, any>[] {
  return valuesOf(release).manifests;
}

const validators = new Map<string, ValidateFunction>();

/**
 * Validates a custom resource against a reference CRD version, dropping `pattern`s that
 * JavaScript cannot compile (Go's `(?i)` in the PrometheusRule CRD).
 */
export function validateCr(resource: any, crdFile: string): string[] {
  const crd = parseAllDocuments(referenceFile(crdFile))
    .map((d) => d.toJS())
    .find((d) => d?.kind === 'CustomResourceDefinition');
  const [group, version] = String(resource.apiVersion).split('/');
  const errors: string[] = [];
  if (group !== crd.spec.group) errors.push(`group ${group} != ${crd.spec.group}`);
  if (resource.kind !== crd.spec.names.kind)
    errors.push(`kind ${resource.kind} != ${crd.spec.names.kind}`);
  const v = crd.spec.versions.find((x: any) => x.name === version);
  if (!v) return [...errors, `no version ${version}`];
  const key = `${crdFile}#${version}`;
  const strip = (n: any): any =>
    Array.isArray(n)
      ? n.map(strip)
      : n && typeof n === 'object'
        ? Object.fromEntries(
            Object.entries(n)
              .filter(
                ([k, val]) => !(k === 'pattern' && typeof val === 'string' && val.includes('(?i)')),
              )
              .map(([k, val]) => [k, strip(val)]),
          )
        : n;
  let validate = validators.get(key);
  if (!validate) {
    // OpenAPI formats (int64, int-or-string…) are not JSON Schema formats: ignore them quietly.
    validate = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
      code: { optimize: false },
    }).compile(strip(v.schema.openAPIV3Schema));
    validators.set(key, validate);
  }
  if (!validate(resource)) {
    errors.push(
      ...(validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
      ),
    );
  }
  return errors;
}
