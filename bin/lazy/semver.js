// Stands in for 'semver' (see bin/lazy-modules.js).
'use strict';
module.exports = require('../lazy-modules').fromCdktf('semver');
