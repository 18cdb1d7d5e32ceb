/**
 * jest `globalTeardown`: stops the run's shared provider servers (provider-server.ts) and
 * removes the run's temporary folder (see global-setup.js).
 */
'use strict';
const { rmSync } = require('node:fs');
const tsx = require('tsx/cjs/api');
const { RUN_DIR_VARIABLE } = require('./global-setup');

const { stopProviderServers } = tsx.require('./provider-server.ts', __filename);

module.exports = function globalTeardown() {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir) return;
  stopProviderServers(dir);
  rmSync(dir, { recursive: true, force: true });
};
