/**
 * Column headers of the FDA FSMA 204 electronic sortable spreadsheet (June 2024 template), per critical
 * tracking event tab, in the template's order (transcribed in ../shared/interop/fsma204-sortable-spreadsheet-columns.md).
 * Multi-part key data elements are split into several columns, as the template does.
 */
const LD_PARTS = ['Business Name', 'Phone Number', 'Street Address or Geographic Coordinates', 'City', 'State or Region', 'ZIP or Postal Code', 'Country'];
const PD_PARTS = ['Product Name', 'Brand Name (if applicable)', 'Commodity (if applicable)', 'Variety (if applicable)', 'Packaging Size', 'Packaging Style'];
export const REF_COLUMNS = ['Reference Document Type', 'Reference Document Number', 'Reference Document Type2', 'Reference Document Number2'];

/** LD(x): the 7 location-description columns. */
export const ld = (x: string) => LD_PARTS.map((p) => `Location Description for ${x} - ${p}`);
/** PD(x): the 6 product-description columns ("Product Description - …" when x is empty). */
export const pd = (x?: string) => PD_PARTS.map((p) => `Product Description${x ? ` ${x}` : ''} - ${p}`);

const ISR = 'the Immediate Subsequent Recipient (other than a transporter)';
const FARM = 'the Farm where the Food was Harvested';
const TLC_SOURCE_REF = 'Traceability Lot Code Source Reference (if applicable)';

export type FsmaTab = 'Harvesting' | 'Initial Packing' | 'Shipping' | 'Receiving' | 'Transformation';

export const FSMA_COLUMNS: Record<FsmaTab, string[]> = {
  Harvesting: [
    ...ld(ISR),
    'Commodity',
    'Variety (if applicable)',
    'Quantity',
    'Unit of Measure',
    ...ld(FARM),
    'For produce, the name of the field or other growing area from which the food was harvested',
    'For aquacultured food, the name of the container (pond, pool, tank, cage)',
    'Harvest Date',
    ...REF_COLUMNS,
  ],
  'Initial Packing': [
    'Commodity of the food received',
    'Variety (if applicable) of the food received',
    'Receive Date',
    'Quantity of the food received',
    'Unit of Measure of the food received',
    ...ld(FARM),
    'For produce, the name of the field or other growing area from which the food was harvested',
    'For aquacultured food, the name of the container (pond, pool, tank, cage)',
    'Harvester Business Name',
    'Harvester Phone Number',
    'Harvesting Date',
    ...ld('where the Food was Cooled (if applicable)'),
    'Cooling Date (if applicable)',
    'Traceability Lot Code (you assigned)',
    ...pd('of the Packed Food'),
    'Quantity of Packed Food',
    'Unit of Measure of Packed Food',
    ...ld('where you Initially Packed the Food (i.e., the Traceability Lot Code Source)'),
    TLC_SOURCE_REF,
    'Initial Packing Date',
    ...REF_COLUMNS,
  ],
  Shipping: [
    'Traceability Lot Code',
    'Quantity',
    'Unit of Measure',
    ...pd(),
    ...ld(ISR),
    ...ld('the Location from which you Shipped the Food'),
    'Shipping Date',
    ...ld('the Traceability Lot Code Source'),
    'Traceability Lot Code Source Reference (may be provided instead of the location description for the TLC Source)',
    ...REF_COLUMNS,
  ],
  Receiving: [
    'Traceability Lot Code',
    'Quantity',
    'Unit of Measure',
    ...pd(),
    ...ld('the Immediate Previous Source (other than a transporter)'),
    ...ld('where the Food was Received'),
    'Date you Received the Food',
    ...ld('the Traceability Lot Code Source'),
    'Traceability Lot Code Source Reference (may be provided instead of the LD for the TLC Source)',
    ...REF_COLUMNS,
  ],
  Transformation: [
    'Traceability Lot Code for the FTL Food used in Transformation (if applicable)',
    ...pd('for the Incoming FTL Food used in Transformation (if applicable)'),
    'Quantity of the food from this traceability lot that was used in the transformation',
    'Unit of measure for the food from this traceability lot that was used in the transformation',
    'New Traceability Lot Code you assigned to the Food Produced Through Transformation',
    ...ld('where you Transformed the Food (i.e., the Traceability Lot Code Source)'),
    TLC_SOURCE_REF,
    'Transformation Completion Date',
    ...pd('for the Food Produced through Transformation'),
    'Quantity of the Food Produced',
    'Unit of Measure for the Food Produced',
    ...REF_COLUMNS,
  ],
};

/** The template's column counts per tab, as the transcription states them (the spec checks the lists against them). */
export const FSMA_COLUMN_COUNTS: Record<FsmaTab, number> = { Harvesting: 25, 'Initial Packing': 47, Shipping: 36, Receiving: 36, Transformation: 31 };
