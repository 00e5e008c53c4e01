import { accountStreamId, decider } from '../../domain/accounts/account';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { Clock, IdGenerator } from '../ports/clock';
import type { PasswordHasher } from '../ports/password-hasher';
import type { Ledger } from '../ledger/ledger';
import { claim, claimStreamId } from '../ledger/unique-claim';
import { findAccountId } from './accounts';
import type { AccountCredentials } from './credentials';

export const BOOTSTRAP_USERNAME = 'admin';

/** What the bootstrap needs of the platform (a Platform is one). */
export interface BootstrapDeps {
  ledger: Ledger;
  credentials: AccountCredentials;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * The first account: the ministry admin `admin`, from which every other account is delegated. Created once
 * (idempotent by commandId); the password comes from configuration or is generated and returned to print.
 * As for every account, the credential row is written first and the events after (decision 0011).
 */
export async function ensureBootstrapAdmin(platform: BootstrapDeps, hasher: PasswordHasher, password: string | undefined): Promise<{ created: boolean; password?: string }> {
  const { ledger, credentials, clock, ids } = platform;
  if (await findAccountId(ledger, BOOTSTRAP_USERNAME)) return { created: false };
  const initial = password ?? `${ids.randomBase32(8)}-${ids.randomBase32(8)}-adm`;
  const accountId = ids.uuid();
  const events = decider.decide(
    {
      type: 'CreateAccount',
      data: {
        accountId,
        username: BOOTSTRAP_USERNAME,
        displayName: '农业农村部 平台管理员',
        role: 'ministry-admin',
        regionCode: '',
        orgId: 'org-ministry',
        orgName: '农业农村部',
        mustChangePassword: password === undefined,
      },
    },
    decider.initialState(),
    { now: clock.now(), actor: SYSTEM_ACTOR },
  );
  await credentials.create(accountId, await hasher.hash(initial));
  try {
    const appended = await ledger.commit(
      [
        { stream: ledger.fresh(accountStreamId(accountId)), events },
        { stream: ledger.fresh(claimStreamId('username', BOOTSTRAP_USERNAME)), events: [claim('username', BOOTSTRAP_USERNAME, accountStreamId(accountId), accountId)] },
      ],
      { commandId: 'bootstrap-admin', actor: SYSTEM_ACTOR },
    );
    if (appended.duplicate) {
      await credentials.discard(accountId);
      return { created: false };
    }
  } catch (err) {
    await credentials.discard(accountId);
    throw err;
  }
  return { created: true, password: initial };
}
