// Stands in for 'archiver' (see bin/lazy-modules.js).
'use strict';
module.exports = require('../lazy-modules').fromCdktf('archiver');
