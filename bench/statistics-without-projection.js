// bench/statistics.ts's baseline server: the same server with the `statistics` projection taken out of the
// runner's list before the platform is composed, so that one run can compare ingest with and without it.
// Only the benchmark preloads this file; the app never does.
require('./support/swc-register.js');
const { allProjections } = require('../projections/index.ts');
const i = allProjections.findIndex((p) => p.name === 'statistics');
if (i < 0) throw new Error('statistics-without-projection: no projection named statistics');
allProjections.splice(i, 1);
