// What the self-service link shows when the account is with the agency, or when only a statement is coming due.
import { describe, expect, it } from 'vitest';
import { customerView } from '../../functions/api/customer-view';
import { selfServicePage } from '../../functions/api/pages/self-service-page';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { anAccount, at } from '../support/fixtures';

const playbook = { pack: POLICY_PACKS['us-regf'], strategy: DEFAULT_STRATEGY };
const now = at('2026-05-10T15:00:00Z');
const page = (view: ReturnType<typeof customerView>, locale: 'en-US' | 'zh-CN' = 'en-US') =>
  String(selfServicePage({ view, token: 'tok', locale }));

describe('the self-service view', () => {
  it('tells a placed customer which agency has the account, in both locales', () => {
    const view = customerView(
      anAccount({ placement: { agency: 'northwind-recoveries', placedAt: '2026-05-01T05:00:00Z' } }),
      now,
      playbook,
    );
    expect(view.agency).toBe('northwind-recoveries');
    expect(page(view)).toContain('placed with the collection agency northwind-recoveries');
    expect(page(view, 'zh-CN')).toContain('委托催收机构northwind-recoveries处理');
    expect(customerView(anAccount(), now, playbook).agency).toBeNull();
  });

  it(
    "lets a promise be dated from the customer's today to the pack's 30 days ahead, never past the day before " +
      'charge-off, while no plan runs',
    () => {
      const view = customerView(anAccount(), now, playbook);
      expect(view.promiseDates).toEqual({ earliest: '2026-05-10', latest: '2026-06-09' });
      // From the pack's least share of the overdue amount (10% of 12,000) to the balance.
      expect(view.promiseAmounts).toEqual({ least: 1_200, most: 250_000 });
      expect(page(view)).toContain(
        '<input id="promise-date" name="dueDate" type="date" required min="2026-05-10" max="2026-06-09" ' +
          'value="2026-05-17">',
      );
      // Near charge-off the suggested date is the last one allowed, not the usual week ahead.
      expect(page(customerView(anAccount(), at('2026-06-25T15:00:00Z'), playbook))).toContain(
        'min="2026-06-25" max="2026-06-29" value="2026-06-29"',
      );
    },
  );

  it('shows a statement coming due as what is due and when, with no collection forms, but the contact choices', () => {
    const view = customerView(
      anAccount({ cycleId: 'due-ST1', courtesy: { statementId: 'ST1' }, amountDue: 3500, dueDate: '2026-05-15' }),
      now,
      playbook,
    );
    expect(view.statement).toEqual({ statementId: 'ST1', minimumDue: 3500, dueDate: '2026-05-15' });
    const html = page(view);
    expect(html).toContain('minimum payment of 35.00 USD is due on 2026-05-15. Your account is not overdue.');
    expect(html).not.toContain('Overdue amount');
    expect(html).not.toContain('/promise');
    expect(html).toContain('/opt-out');
  });
});
