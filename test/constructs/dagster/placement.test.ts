/**
 * Pod architectures match image platforms. Dagster's images up to 1.12.x are linux/amd64 only
 * (dagster-io/dagster#11841, #33756, #34134; multi-platform publishing starts with PR #34145,
 * after 1.12), recorded per image in `envs/versions.ts`; the node pools allow amd64 and arm64,
 * and an amd64 image on a Graviton node fails with `exec format error` (#17167, #9927).
 * Every Dagster pod must therefore select `kubernetes.io/arch` (a well-known label,
 * https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-arch) among its
 * image's platforms.
 */
import { dagsterValues, CONTAINER_CONTEXT_ENV } from '../../../constructs/dagster/values';
import { dagsterFlower } from '../../../constructs/dagster/flower';
import { launcherArchSelector } from '../../../constructs/dagster/placement';
import { DAGSTER_IMAGES, imageArchitectures } from '../../../envs/versions';
import { dagster, INPUTS } from '../../support/dagster-fixtures';
import { buildPlatform } from '../../support/platform-fixture';

const ARCH = 'kubernetes.io/arch';
const archOf = (sel: Record<string, string> | undefined) => sel?.[ARCH];

it('every Dagster image records its platforms (linux/amd64 at 1.12.x)', () => {
  for (const img of Object.values(DAGSTER_IMAGES)) {
    expect(img.tag).toBe('1.12.14');
    expect(img.platforms).toEqual(['linux/amd64']);
  }
});

describe.each([
  ['K8sRunLauncher', (d: any) => d],
  ['Celery', (d: any) => (d.runLauncher = { type: 'celery' })],
])('%s: every pod selects an architecture its image runs on', (_n, edit) => {
  const arm = { repository: 'registry.example/arm', tag: '1.0.0', platforms: ['linux/arm64'] };
  const multi = {
    repository: 'registry.example/multi',
    tag: '1.0.0',
    platforms: ['linux/amd64', 'linux/arm64'],
  };
  const config = dagster((d) => {
    edit(d);
    d.codeLocations.push(
      { name: 'arm', image: arm, module: 'a.defs' },
      { name: 'multi', image: multi, module: 'm.defs' },
    );
  });
  const v = dagsterValues(config, INPUTS) as any;
  const dagsterArchs = imageArchitectures(DAGSTER_IMAGES.celeryK8s);

  it('webserver, daemon (and Celery workers) run the pinned dagster-celery-k8s image on amd64', () => {
    for (const c of [v.dagsterWebserver, v.dagsterDaemon]) {
      expect(c.image).toMatchObject({
        repository: DAGSTER_IMAGES.celeryK8s.repository,
        tag: DAGSTER_IMAGES.celeryK8s.tag,
      });
      expect(dagsterArchs).toContain(archOf(c.nodeSelector));
    }
    const celery = v.runLauncher.config.celeryK8sRunLauncher;
    if (celery) expect(dagsterArchs).toContain(archOf(celery.nodeSelector));
  });

  it('code servers and their runs follow the location image', () => {
    const byName = Object.fromEntries(
      v['dagster-user-deployments'].deployments.map((d: any) => [d.name, d]),
    );
    expect(archOf(byName.example.nodeSelector)).toBe('amd64');
    expect(archOf(byName.arm.nodeSelector)).toBe('arm64');
    expect(archOf(byName.multi.nodeSelector)).toBeUndefined(); // both: no constraint
    const runArch = (name: string) =>
      archOf(
        JSON.parse(byName[name].env[CONTAINER_CONTEXT_ENV]).k8s.run_k8s_config.pod_spec_config
          .node_selector,
      );
    expect(runArch('example')).toBe('amd64');
    expect(runArch('arm')).toBe('arm64');
    expect(runArch('multi')).toBeUndefined();
  });
});

it('Flower runs on an architecture of its image', () => {
  const deploy = dagsterFlower().find((o: any) => o.kind === 'Deployment') as any;
  expect(archOf(deploy.spec.template.spec.nodeSelector)).toBe('amd64');
});

it('the launcher-level run placement is what every location without its own context supports', () => {
  const amd = dagster((d) => {
    d.codeLocations[0].includeConfigInLaunchedRuns = false;
  });
  expect(launcherArchSelector(amd)).toEqual({ [ARCH]: 'amd64' });
  const clash = dagster((d) => {
    d.codeLocations[0].includeConfigInLaunchedRuns = false;
    d.codeLocations.push({
      name: 'arm',
      image: { repository: 'r/arm', tag: '1', platforms: ['linux/arm64'] },
      module: 'a.defs',
      includeConfigInLaunchedRuns: false,
    });
  });
  expect(() => launcherArchSelector(clash)).toThrow(/example, arm share no CPU architecture/);
});

it('Celery needs a general pool of the images’ architectures (its run pods get no node selector)', () => {
  expect(() =>
    buildPlatform((raw) => {
      raw.clusters['main-01'].dagster.runLauncher = { type: 'celery' };
    }),
  ).toThrow(
    /clusters\.main-01\.platform\.karpenter\.nodePools\.general\.architectures: arm64 is not allowed with the Celery run launcher/,
  );
  expect(() =>
    buildPlatform((raw) => {
      raw.clusters['main-01'].dagster.runLauncher = { type: 'celery' };
      raw.clusters['main-01'].platform.karpenter = {
        nodePools: { general: { architectures: ['amd64'] } },
      };
    }),
  ).not.toThrow();
});
