/**
 * Chart-generated names, from the one rule both Dagster charts use (`dagster.fullname`):
 * dagster-io/dagster `helm/dagster/templates/helpers/_helpers.tpl` and
 * `helm/dagster/charts/dagster-user-deployments/templates/helpers/_helpers.tpl` (read from the
 * newest stored versions, not pinned to the 1.12.14 tag; the rule has been the same in every
 * version read, and this add-on sets no override, the case in which the two definitions agree):
 *
 * ```
 * {{- $name := default .Chart.Name $nameOverride -}}
 * {{- if contains $name .Release.Name -}} {{- .Release.Name | trunc 63 | trimSuffix "-" -}}
 * {{- else -}} {{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
 * ```
 * Names built from it: `configmap-env-user.yaml` (`{{ template "dagster.fullname" $ }}-{{ $deployment.name }}-user-env`),
 * `deployment-user.yaml` (`{{ include "dagster.fullname" $ }}-{{ $deployment.name }}`),
 * `deployment-daemon.yaml` (`-daemon`), `configmap-instance.yaml` (`-instance`); the webserver
 * Service uses `.Release.Name` and `dagsterWebserver.nameOverride` (`_helpers.tpl`,
 * `dagster.webserver.fullname`).
 */
import {
  chartFullname,
  codeLocationDeployment,
  DAEMON_DEPLOYMENT,
  INSTANCE_CONFIGMAP,
  USER_DEPLOYMENTS_FULLNAME,
  userEnvConfigMap,
  webserverService,
} from '../../../constructs/dagster/names';
import { dagsterValues } from '../../../constructs/dagster/values';
import { dagster, INPUTS } from '../../support/dagster-fixtures';

describe('dagster.fullname (the charts’ helper rule)', () => {
  it.each([
    // release, .Chart.Name, expected — cases of the rule, literal
    ['dagster', 'dagster', 'dagster'], // the release contains the chart name
    ['dagster', 'dagster-user-deployments', 'dagster-dagster-user-deployments'], // it does not
    ['prod-dagster-user-deployments', 'dagster-user-deployments', 'prod-dagster-user-deployments'],
    ['prod', 'dagster', 'prod-dagster'],
  ])('release %s, chart %s → %s', (release, chart, expected) => {
    expect(chartFullname(release, chart)).toBe(expected);
  });

  it('truncates to 63 characters and trims a trailing hyphen, overrides first', () => {
    const long = `${'a'.repeat(62)}-b`;
    expect(chartFullname(long, 'dagster')).toBe('a'.repeat(62));
    expect(chartFullname('dagster', 'dagster', { fullnameOverride: 'pinned-' })).toBe('pinned');
    expect(chartFullname('dagster', 'dagster-user-deployments', { nameOverride: 'code' })).toBe(
      'dagster-code',
    );
  });

  it('gives the names run and code-server pods depend on, for release dagster', () => {
    expect(USER_DEPLOYMENTS_FULLNAME).toBe('dagster-dagster-user-deployments');
    expect(userEnvConfigMap('example')).toBe('dagster-dagster-user-deployments-example-user-env');
    expect(codeLocationDeployment('example')).toBe('dagster-dagster-user-deployments-example');
    expect(DAEMON_DEPLOYMENT).toBe('dagster-daemon');
    expect(INSTANCE_CONFIGMAP).toBe('dagster-instance');
    expect(webserverService()).toBe('dagster-dagster-webserver');
    expect(webserverService(true)).toBe('dagster-dagster-webserver-read-only');
  });

  it('the values set no fullname/name override, so the parent’s and the subchart’s definitions agree', () => {
    // In a combined install Helm executes one `dagster.fullname` for both charts (helm/helm
    // pkg/engine/engine.go parses the deepest templates first, the parent last). The parent's
    // reads only `global.*`, the subchart's `global.*` then its own keys: with none set both give
    // `<release>-<.Chart.Name>` unless the release contains the chart name.
    const v = dagsterValues(dagster(), INPUTS) as any;
    expect(v.global.fullnameOverride).toBeUndefined();
    expect(v.global.nameOverride).toBeUndefined();
    expect(v.fullnameOverride).toBeUndefined();
    expect(v.nameOverride).toBeUndefined();
    expect(v['dagster-user-deployments'].fullnameOverride).toBeUndefined();
    expect(v['dagster-user-deployments'].nameOverride).toBeUndefined();
    // the webserver's own name override is the chart default, pinned
    expect(v.dagsterWebserver.nameOverride).toBe('dagster-webserver');
  });

  it('a code location name cannot collide with a parent chart name (different prefixes)', () => {
    for (const loc of ['daemon', 'instance', 'webserver', 'example']) {
      expect(codeLocationDeployment(loc)).not.toBe(DAEMON_DEPLOYMENT);
      expect(codeLocationDeployment(loc).startsWith(`${USER_DEPLOYMENTS_FULLNAME}-`)).toBe(true);
    }
  });
});
