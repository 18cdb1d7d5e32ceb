/**
 * Terraform ephemeral resources (Terraform ≥ 1.10) for cdktf 0.21, which has no binding for
 * them: the block is written with a stack override and referenced with `ref()`. Ephemeral
 * values are never written to plan or state; they may only flow into provider
 * configuration and write-only arguments.
 *
 * Reference: https://developer.hashicorp.com/terraform/language/resources/ephemeral
 */
import { TerraformStack, ref, type IResolvable } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * Declares `ephemeral.<type>.<name>` in `scope`'s stack.
 *
 * Arguments must not contain cross-stack references (cdktf does not rewrite tokens inside
 * overrides); route such values through a `TerraformLocal` of the stack first.
 *
 * @param type the ephemeral resource type, e.g. `aws_eks_cluster_auth`
 * @param name the block name, unique per type in the stack (a Terraform identifier)
 * @param config the block's arguments, snake_case as in the provider docs
 * @returns a function giving a reference to an attribute: `attr('token')`
 * @throws Error if `name` is not a Terraform identifier
 */
export function ephemeralResource(
  scope: Construct,
  type: string,
  name: string,
  config: Record<string, unknown>,
): (attribute: string) => IResolvable {
  if (!/^[a-zA-Z_][a-zA-Z0-9_-]*$/.test(name))
    throw new Error(`ephemeral ${type}: "${name}" is not a Terraform identifier`);
  const stack = TerraformStack.of(scope);
  stack.addOverride(`ephemeral.${type}.${name}`, config);
  return (attribute) => ref(`ephemeral.${type}.${name}.${attribute}`, stack);
}
