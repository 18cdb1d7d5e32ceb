// jest `setupFiles`, once per worker before the test framework and any test file, as main.ts and
// bin/app.js run the app:
// - token creation stacks off before cdktf loads (constructs/shared/creation-stacks.ts):
//   cdktf/lib/tfExpression.js creates a token when it loads, whose stack would otherwise be
//   captured (and formatted, with tsx's source maps on) like every later token's;
// - cdktf's `archiver` and `semver` loaded on first use, as in the app's bundle and as
//   bin/cdktf.js does for the CLI (bin/lazy-modules.js says where cdktf requires them and why
//   our code never calls them; test/bin/lazy-modules.test.ts pins both and checks this hook):
//   requiring cdktf and a provider resource took 273–334 ms of CPU and 381 modules without,
//   156–183 ms and 134 modules with (2-core Intel machine, 2026-12-03). A test that uses
//   either gets the real package on first use;
// - V8's TurboFan tier later for the tests' short-lived code (test/support/v8-tiering.ts:
//   about 4 s less CPU in a run with the offline tier).
import Module from 'node:module';
import { disableCreationStacks } from '../../constructs/shared/creation-stacks';
import { raiseInterruptBudget } from './v8-tiering';

raiseInterruptBudget();
disableCreationStacks();

/* eslint-disable @typescript-eslint/no-require-imports */
const { lazy, requiredByCdktf } = require('../../bin/lazy-modules.js') as {
  lazy(load: () => unknown): unknown;
  requiredByCdktf(request: string, parent: { filename?: string } | undefined): boolean;
};
/* eslint-enable @typescript-eslint/no-require-imports */
type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => any;
const modules = Module as unknown as { _load: Load };
const load = modules._load;
modules._load = function (this: unknown, request, parent, isMain) {
  if (requiredByCdktf(request, parent)) return lazy(() => load.call(this, request, parent, isMain));
  return load.call(this, request, parent, isMain);
};
