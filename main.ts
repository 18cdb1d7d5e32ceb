/**
 * Entry point of the cdktf app: load and validate the environment (`LZ_ENV`), then build
 * and synthesize every stack. A bad environment stops here with every problem listed and
 * nothing written to `cdktf.out`.
 */
import { App } from 'cdktf';
import { ConfigError, loadEnvironment } from './envs/load';
import { backendFromEnv } from './stacks/base-stack';
import { buildLandingZone } from './stacks/app';

function main(): void {
  let env;
  let backend;
  try {
    env = loadEnvironment();
    backend = backendFromEnv();
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : String(e));
    process.exit(1);
  }
  const app = new App();
  buildLandingZone(app, env, { backend });
  app.synth();
}

main();
