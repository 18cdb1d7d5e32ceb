// jest `setupFiles`, first: TypeScript for the worker's `require` and `import` through tsx's
// hooks (https://tsx.is/dev-api/register-cjs, https://tsx.is/dev-api/register-esm), as
// `node --import tsx` does. jest-light-runner imports each test file with Node's own loader.
//
// tsx keeps its compile cache in `<os.tmpdir()>/tsx-<uid>`, chosen when it loads. The workers'
// TMPDIR is the run's folder (global-setup.js), removed after every run, so tsx loads with the
// TMPDIR jest started with: its cache outlives the run (a cold cache costs about 0.8 s of CPU
// per worker, 2-core machine, 2026-12-01).
const runFolder = process.env.TMPDIR;
process.env.TMPDIR = process.env.LZ_TEST_OUTER_TMPDIR ?? runFolder;
try {
  const { register: registerCjs } = await import('tsx/cjs/api');
  const { register: registerEsm } = await import('tsx/esm/api');
  registerCjs();
  registerEsm();
} finally {
  if (runFolder === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = runFolder;
}
