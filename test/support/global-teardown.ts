/**
 * jest `globalTeardown`: stops the run's shared provider servers (provider-server.ts) and
 * removes the run's temporary folder (see global-setup.ts).
 */
import { rmSync } from 'node:fs';
import { RUN_DIR_VARIABLE } from './global-setup';
import { stopProviderServers } from './provider-server';

export default function globalTeardown(): void {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir) return;
  stopProviderServers(dir);
  rmSync(dir, { recursive: true, force: true });
}
