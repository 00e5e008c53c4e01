/**
 * `upcast` with every upcaster registered. Upcasters register themselves when their module loads, so a
 * reader that imported only `./upcasters` saw raw events whenever no module of its thread happened to load
 * the registrations — the projection worker thread folded legacy `AccountCreated` events with their
 * password hash into the audit log. Every reader imports `upcast` from here instead.
 */
import '../accounts/legacy-secrets';

export { upcast } from './upcasters';
