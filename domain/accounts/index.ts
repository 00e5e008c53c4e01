export * from './account';
export * from './delegation';
export * from './password-policy';
export * from './permissions';
export * from './region-scope';
