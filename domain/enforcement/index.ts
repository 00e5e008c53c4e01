export * from './case';
export * from './rectification';
