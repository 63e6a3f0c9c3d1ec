import type { ReferralLedger } from '../../../../engine/referrals/ledger.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { when } from '../ui/format.js';

const money = (cents: number, currency: ReferralLedger['currency']) =>
  (cents / 100).toLocaleString('en', { style: 'currency', currency });

/** The account's referral ledger: credits it earned by referring customers, and the discount it got when referred. */
export function ReferralsSection({ accountId }: { accountId: string }) {
  const ledger = useAsync((signal) => opsApi.referrals(accountId, signal), [accountId]);
  return (
    <section className="card" aria-labelledby="referrals-title" data-testid="referrals">
      <h2 id="referrals-title">Referrals</h2>
      <AsyncView state={ledger} what="referrals" isEmpty={(data) => data.entries.length === 0}>
        {(data) => (
          <>
            <p>
              {money(data.creditCents, data.currency)} of credit: {data.referrals} referred customer
              {data.referrals === 1 ? '' : 's'} subscribed, {data.renewals} renewed.
            </p>
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Amount</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((entry) => (
                  <tr key={`${entry.eventId}-${entry.kind}`}>
                    <td>{entry.description}</td>
                    <td className="nowrap">
                      {entry.discountPercent !== null
                        ? `${entry.discountPercent} % off`
                        : money(entry.amountCents, data.currency)}
                    </td>
                    <td className="nowrap">{when(entry.at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </AsyncView>
    </section>
  );
}
