/**
 * bin/cdktf.js runs yoga-layout-prebuilt's asm.js file (the CLI's terminal UI layout) as plain
 * JavaScript (V8's `--no-validate-asm`): the layouts agree both ways, and by default V8 compiles
 * the file to WebAssembly, which leaves no bytecode to cache. The caches the CLI writes are
 * checked in test/bin/cdktf.test.ts ("cdktf synth").
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require(join(root, 'bin', 'cdktf.js')) as { locateCli(): { cached: string[] } };
const cli = launcher.locateCli();

describe('bin/cdktf.js: asm.js as plain JavaScript', () => {
  it("yoga-layout's asm.js file lays out the same as plain JavaScript (--no-validate-asm)", () => {
    const yoga = cli.cached[2];
    expect(readFileSync(yoga, 'utf8')).toContain('"use asm"');
    // one process per flag setting: yoga loaded with its asm.js file compiled through
    // vm.Script (as bin/cdktf.js does), a small layout, and the size of the code cache of that
    // file: compiled to WebAssembly (validated), it leaves no bytecode to cache
    const script = `
      const Module = require('node:module'); const vm = require('node:vm'); const fs = require('node:fs');
      const file = ${JSON.stringify(yoga)};
      let compiled;
      const js = Module._extensions['.js'];
      Module._extensions['.js'] = function (m, f) {
        if (f !== file) return js.call(this, m, f);
        compiled = new vm.Script(Module.wrap(fs.readFileSync(f, 'utf8')), { filename: f });
        compiled.runInThisContext().call(m.exports, m.exports, require, m, f, require('node:path').dirname(f));
      };
      const y = require(${JSON.stringify(join(yoga, '..', '..', '..', 'dist', 'entry-browser.js'))});
      const root = y.Node.create(); root.setWidth(120); root.setFlexDirection(y.FLEX_DIRECTION_ROW);
      for (const grow of [1, 2, 3]) { const c = y.Node.create(); c.setFlexGrow(grow); c.setHeight(grow * 7); root.insertChild(c, root.getChildCount()); }
      root.calculateLayout();
      const layout = [];
      for (let i = 0; i < root.getChildCount(); i++) layout.push(root.getChild(i).getComputedLayout());
      console.log(JSON.stringify({ layout, cache: compiled.createCachedData().length }));`;
    const run = (flags: string[]) =>
      JSON.parse(
        spawnSync(process.execPath, [...flags, '-e', script], {
          encoding: 'utf8',
          timeout: 60_000,
        }).stdout,
      ) as { layout: unknown[]; cache: number };
    const validated = run([]);
    const asJs = run(['--no-validate-asm']);
    expect(validated.layout).toHaveLength(3);
    expect(asJs.layout).toEqual(validated.layout);
    // by default V8 did compile it to WebAssembly: the first layout was not JavaScript too
    expect(validated.cache).toBeLessThan(1_000);
    expect(asJs.cache).toBeGreaterThan(200_000);
  });
});
