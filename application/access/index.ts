/** The one access policy (DESIGN.md, Access): ask it, never compare region codes elsewhere. */
export * from './grants';
export * from './region-scope';
export * from './resources';
export * from './policy';
export * from './list-scope';
export * from './redaction';
export { AccessPolicy, type Allowed } from './access-policy';
