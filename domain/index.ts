/**
 * The pure domain: deciders, value objects and code formats. No I/O, no framework, no clock.
 * Import a capability by namespace (`import { lots } from '../domain'`) or its module path directly.
 */
export * from './shared/actor';
export * from './shared/errors';
export * from './shared/event';
export * from './shared/decider';
export * as quantity from './shared/quantity';
export * as workingDays from './shared/working-days';
export * as holidaysCn from './shared/holidays-cn';
export * as regionCodes from './shared/region-codes';
export * as codes from './shared/codes';
export * as validate from './shared/validate';
export * as registration from './registration';
export * as lots from './lots';
export * as transfers from './transfers';
