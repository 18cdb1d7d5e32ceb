/**
 * `clusters.<name>.dagster` rules: defaults, and a failing case with its message for each rule.
 */
import { DAGSTER_IMAGES } from '../../../envs/versions';
import { exampleEnv, problemsOf } from '../../support/env';
import { auth, COGNITO_AUTH, OIDC_AUTH } from '../../support/dagster-fixtures';

const D = (r: any) => r.clusters['main-01'].dagster;

describe('dagster config', () => {
  it('parses the example with the pinned example code location and secure defaults', () => {
    const d = exampleEnv().clusters['main-01'].dagster;
    expect(d.enabled).toBe(true);
    expect(d.runLauncher.type).toBe('k8s');
    expect(d.ingress).toMatchObject({ enabled: true, scheme: 'internal', subdomain: 'dagster' });
    expect(d.ingress.auth).toBeUndefined();
    expect(d.codeLocations[0].image).toEqual({
      repository: DAGSTER_IMAGES.userCodeExample.repository,
      tag: DAGSTER_IMAGES.userCodeExample.tag,
      platforms: ['linux/amd64'],
    });
  });

  it('defaults to the example code location when dagster is {}', () => {
    const d = exampleEnv((r) => (r.clusters['main-01'].dagster = {})).clusters['main-01'].dagster;
    expect(d.codeLocations.map((l) => l.name)).toEqual(['example']);
    expect(d.codeLocations[0].image?.tag).toBe(DAGSTER_IMAGES.userCodeExample.tag);
    expect(d.jobTtlSeconds).toBe(86400);
    expect(d.codeLocations[0]).toMatchObject({
      port: 3030,
      replicas: 1,
      includeConfigInLaunchedRuns: true,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    });
    expect(d.runLauncher.celery.workerQueues).toEqual([{ name: 'dagster', replicas: 2 }]);
  });

  it('fills in each resource field a component leaves out with that component’s default', () => {
    const d = exampleEnv((r) => {
      D(r).webserver = { resources: { requests: { cpu: '1' } } };
      D(r).runLauncher = { resources: { limits: { cpu: '2' } } };
    }).clusters['main-01'].dagster;
    expect(d.webserver.resources).toEqual({
      requests: { cpu: '1', memory: '512Mi' },
      limits: { memory: '1Gi' },
    });
    expect(d.runLauncher.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
  });

  const P = 'clusters.main-01.dagster';
  const loc = (extra: Record<string, unknown>) => ({
    name: 'etl',
    image: { repository: 'registry.example/etl', tag: '1.0.0' },
    module: 'etl.definitions',
    ...extra,
  });
  const cases: [string, (r: any) => void, string][] = [
    [
      'code location without image',
      (r) => (D(r).codeLocations = [{ name: 'etl', module: 'etl' }]),
      `${P}.codeLocations[0].image: is required (repository and a pinned tag)`,
    ],
    [
      'image with latest tag',
      (r) =>
        (D(r).codeLocations = [
          loc({ image: { repository: 'registry.example/etl', tag: 'latest' } }),
        ]),
      `${P}.codeLocations[0].image.tag: must be pinned; "latest" is not allowed`,
    ],
    [
      'image without tag',
      (r) => (D(r).codeLocations = [loc({ image: { repository: 'registry.example/etl' } })]),
      `${P}.codeLocations[0].image.tag: is required (a pinned tag, never latest)`,
    ],
    [
      'both module and python file',
      (r) => (D(r).codeLocations = [loc({ pythonFile: '/app/defs.py' })]),
      `${P}.codeLocations[0]: needs exactly one of module or pythonFile`,
    ],
    [
      'neither module nor python file',
      (r) => (D(r).codeLocations = [loc({ module: undefined })]),
      `${P}.codeLocations[0]: needs exactly one of module or pythonFile`,
    ],
    [
      'duplicate code location',
      (r) => (D(r).codeLocations = [loc({}), loc({})]),
      `${P}.codeLocations[1].name: duplicate code location "etl" (also codeLocations[0])`,
    ],
    [
      'no code location',
      (r) => (D(r).codeLocations = []),
      `${P}.codeLocations: needs at least one code location when Dagster is enabled`,
    ],
    [
      'credential-looking env value',
      (r) => (D(r).webserver = { env: { DB_PASSWORD: 'x' } }),
      `${P}.webserver.env.DB_PASSWORD: "DB_PASSWORD" looks like a credential; put it in a Kubernetes Secret listed in envSecrets`,
    ],
    [
      'reserved env name',
      (r) =>
        (D(r).codeLocations = [loc({ env: { DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT: '{}' } })]),
      `${P}.codeLocations[0].env.DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT: "DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT" is set by the Dagster add-on and cannot be overridden`,
    ],
    [
      'bad env name',
      (r) => (D(r).daemon = { env: { 'A-B': 'x' } }),
      `${P}.daemon.env.A-B: must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)`,
    ],
    [
      'public UI without authentication',
      (r) => (D(r).ingress = { scheme: 'internet-facing' }),
      `${P}.ingress.auth: is required when scheme is internet-facing: a public Dagster UI needs OIDC or Cognito authentication on the load balancer`,
    ],
    [
      'OIDC client secret as a value',
      (r) =>
        (D(r).ingress = {
          scheme: 'internet-facing',
          auth: { ...auth(OIDC_AUTH), clientSecret: 'hunter2' },
        }),
      `${P}.ingress.auth.clientSecret: clientSecret never goes in config; use clientSecretRef (a Secrets Manager reference)`,
    ],
    [
      'OIDC endpoint over http',
      (r) => (D(r).ingress = { auth: { ...auth(OIDC_AUTH), issuer: 'http://idp.example' } }),
      `${P}.ingress.auth.issuer: must be an https:// URL`,
    ],
    [
      'host outside the zone syntax',
      (r) => (D(r).ingress = { subdomain: 'Dagster.' }),
      `${P}.ingress.subdomain: must be a host name relative to the cluster zone (e.g. dagster); the zone is appended`,
    ],
    [
      'read-only host equal to main host',
      (r) => {
        D(r).webserver = { readOnly: true };
        D(r).ingress = { subdomain: 'ui', readOnlySubdomain: 'ui' };
      },
      `${P}.ingress.readOnlySubdomain: must differ from ingress.subdomain ("ui")`,
    ],
    [
      'unknown run launcher',
      (r) => (D(r).runLauncher = { type: 'docker' }),
      `${P}.runLauncher.type: Invalid option: expected one of "k8s"|"celery"`,
    ],
    [
      'celery without queues',
      (r) => (D(r).runLauncher = { type: 'celery', celery: { workerQueues: [] } }),
      `${P}.runLauncher.celery.workerQueues: needs at least one worker queue`,
    ],
    [
      'duplicate celery worker queue',
      (r) =>
        (D(r).runLauncher = {
          type: 'celery',
          celery: { workerQueues: [{ name: 'q' }, { name: 'r' }, { name: 'q' }] },
        }),
      `${P}.runLauncher.celery.workerQueues[2].name: duplicate worker queue "q" (also workerQueues[0])`,
    ],
    [
      'staleness threshold too small',
      (r) => (D(r).alerts = { pipelineStaleSeconds: 60 }),
      `${P}.alerts.pipelineStaleSeconds: Too small: expected number to be >=600`,
    ],
    [
      'an image with no platform',
      (r) =>
        (D(r).codeLocations = [
          {
            name: 'etl',
            image: { repository: 'registry.example/etl', tag: '1.0.0', platforms: [] },
            module: 'etl.defs',
          },
        ]),
      `${P}.codeLocations[0].image.platforms: needs at least one platform`,
    ],
    [
      'an image platform that is not linux/amd64 or linux/arm64',
      (r) =>
        (D(r).codeLocations = [
          {
            name: 'etl',
            image: { repository: 'registry.example/etl', tag: '1.0.0', platforms: ['linux/s390x'] },
            module: 'etl.defs',
          },
        ]),
      `${P}.codeLocations[0].image.platforms[0]: Invalid option: expected one of "linux/amd64"|"linux/arm64"`,
    ],
    [
      'a read-only OIDC block without its client reference',
      (r) =>
        (D(r).ingress = {
          readOnlyAuth: { ...auth(OIDC_AUTH), clientSecretRef: undefined },
        }),
      `${P}.ingress.readOnlyAuth.clientSecretRef: required`,
    ],
    [
      'a zero start alert delay',
      (r) => (D(r).alerts = { runNotStartedMinutes: 0 }),
      `${P}.alerts.runNotStartedMinutes: Too small: expected number to be >=1`,
    ],
    [
      'bad memory quantity',
      (r) => (D(r).webserver = { resources: { limits: { memory: 'lots' } } }),
      `${P}.webserver.resources.limits.memory: must be a memory quantity like 512Mi or 2Gi`,
    ],
  ];

  it.each(cases)('rejects %s', (_name, edit, message) => {
    expect(problemsOf(edit)).toContain(message);
  });

  it('accepts a public UI with Cognito authentication', () => {
    expect(
      problemsOf((r) => (D(r).ingress = { scheme: 'internet-facing', auth: auth(COGNITO_AUTH) })),
    ).toEqual([]);
  });
});
