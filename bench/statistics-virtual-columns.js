// bench/statistics.ts's "virtual" server of decision 0026: the same server with the SQLite read store's new index
// columns made VIRTUAL generated columns (recomputed, with every index over them, on each write of a body) as
// before that decision, instead of stored ones — so that one run can compare ingest with either kind.
// Only the benchmark preloads this file; the app never does.
require('./support/swc-register.js');
const { SqliteReadStore } = require('../infrastructure/sqlite/sqlite-read-store.ts');
SqliteReadStore.storedIndexColumns = false;
