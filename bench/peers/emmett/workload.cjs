'use strict';
// The event data both store peers write: a LotCreated of the size the ledger writes (~350 bytes of JSON).
exports.payload = (i) => ({
  traceCode: `46902726112${String(i).padStart(8, '0')}ABCD`,
  entityId: '01a208bf-dc36-70d8-952d-02b4a216e40e',
  eid: '469027F5QMZJ',
  entityName: '乐东丰源豇豆合作社',
  product: '豇豆',
  quantity: { amount: 100 + (i % 900), unit: 'kg' },
  productionDate: '2026-11-20',
  base: { baseId: 'B1', name: '佛罗豇豆基地', regionCode: '469027', lat: 18.601234, lon: 108.780512 },
  origin: { kind: 'produced' },
});
