/**
 * How the Helm and Kubernetes providers of a platform stack authenticate to EKS: a client-go
 * exec credential plugin running `aws eks get-token`
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins),
 * which returns a token with its expiry, and which the client runs again when that token is
 * about to expire. Both providers take the same four fields: hashicorp/helm v3.1.1 as the
 * nested attribute `kubernetes = { exec = { api_version, command, args, env } }`,
 * hashicorp/kubernetes v2.38.0 as an `exec { … }` block (`docs/index.md` of each, at those tags).
 *
 * Credentials of the plugin: it is a child process and does not see the AWS provider's
 * configuration, so it is pointed at the shared config file Terraform Cloud writes for the
 * workspace's dynamic credentials (`tfc_aws_dynamic_credentials.default.shared_config_file`).
 */

/** `client.authentication.k8s.io` version `aws eks get-token` emits (AWS CLI v2 `eks get-token` docs). */
export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/**
 * The Terraform variable Terraform Cloud fills with the dynamic credentials' shared config file,
 * in the shape HashiCorp documents ("Specifying multiple configurations",
 * https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations):
 * `object({ default = object({ shared_config_file = string }), aliases = map(object({ shared_config_file = string })) })`.
 * The default (empty file name) applies outside Terraform Cloud.
 */
export const TFC_AWS_DYNAMIC_CREDENTIALS = {
  name: 'tfc_aws_dynamic_credentials',
  type: 'object({ default = object({ shared_config_file = string }), aliases = map(object({ shared_config_file = string })) })',
  default: { default: { shared_config_file: '' }, aliases: {} },
  description:
    'Set by Terraform Cloud (dynamic credentials): the AWS shared config file the `aws eks get-token` exec plugin of the Helm and Kubernetes providers reads. Leave unset outside Terraform Cloud.',
} as const;

/** The exec block of both providers (camelCase cdktf shape). */
export interface ClusterExec {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/**
 * The exec credential of a cluster: `aws eks get-token --cluster-name <name> --region <region>`,
 * with `AWS_CONFIG_FILE` set to the dynamic credentials' file when Terraform Cloud provides one
 * (else the CLI's default `~/.aws/config`).
 * @param props.clusterName EKS cluster name (a cross-stack reference: known at plan time)
 * @param props.region the cluster's region
 * @param props.sharedConfigFile a Terraform expression of the shared config file (`${var.…}`)
 */
export function clusterExec(props: {
  clusterName: string;
  region: string;
  sharedConfigFile: string;
}): ClusterExec {
  const file = props.sharedConfigFile.replace(/^\$\{(.*)\}$/s, '$1');
  return {
    apiVersion: EXEC_API_VERSION,
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', props.clusterName, '--region', props.region],
    env: {
      AWS_REGION: props.region,
      AWS_CONFIG_FILE: `\${${file} != "" ? ${file} : pathexpand("~/.aws/config")}`,
    },
  };
}
