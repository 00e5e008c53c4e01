// bench/statistics.ts's "before" server of decision 0025: the same server with the statistics projection folded
// in the commands' lane (read-your-writes: every command's answer waits for it), as before it was marked
// eventual — so that one run can compare ingest with the projection in either lane, and without it.
// Only the benchmark preloads this file; the app never does.
require('./support/swc-register.js');
const { allProjections } = require('../projections/index.ts');
const statistics = allProjections.find((p) => p.name === 'statistics');
if (!statistics) throw new Error('statistics-consistent: no projection named statistics');
statistics.consistency = 'read-your-writes';
