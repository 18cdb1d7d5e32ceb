/**
 * jest `resolver`: cdktf's requires of the packages in bin/lazy-modules.js (`LAZY`) get the
 * stand-ins of bin/lazy/, as the app's bundle does (bin/app.js); every other request, jest's own
 * modules' included, resolves as jest's default resolver does
 * (https://jestjs.io/docs/configuration#resolver-string).
 */
'use strict';
const path = require('node:path');
const { isLazyRequire } = require('../../bin/lazy-modules');

const STAND_INS = path.join(__dirname, '..', '..', 'bin', 'lazy');

module.exports = (request, options) =>
  isLazyRequire(request, options.basedir)
    ? path.join(STAND_INS, `${request}.js`)
    : options.defaultResolver(request, options);
