/** The data-quality read model (追溯数据清洗): findings per rule and record, and the look-ups the rules need. */
export { dataQualityProjection, dataQualityReadModelIndexes } from './data-quality.projection';
export { FINDINGS, SUBJECTS, findingId, type FindingDoc, type Responsible, type Subject } from './findings';
