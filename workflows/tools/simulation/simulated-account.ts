// One simulated account as its run left it: who the customer was, and the state and record they ended with.
import type { AccountState } from '../../../functions/domain/account';
import type { RecordEntry } from '../../../functions/domain/record';
import type { Behaviour } from './portfolio';

export interface SimulatedAccount {
  profile: Behaviour;
  state: AccountState;
  record: RecordEntry[];
}
