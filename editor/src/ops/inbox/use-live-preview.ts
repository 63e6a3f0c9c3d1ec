import { useEffect, useState } from 'react';
import type { Approval } from '../../../../engine/approvals/record.js';
import type { ApprovalValues } from '../../../../engine/approvals/values.js';
import type { RenderedEmail } from '../../../../engine/templates/rendered.js';
import { opsApi } from '../api.js';

const SETTLE_MS = 350;

export type Preview =
  | { kind: 'rendered'; email: Pick<RenderedEmail, 'subject' | 'html' | 'text'>; edited: boolean }
  | { kind: 'unavailable'; why: string }
  | { kind: 'failed'; error: unknown };

/**
 * The proposed email as it would go out with the values as they stand now: the server's rendering of the
 * proposal while nothing is edited, then the same template rendered again (by the server, with the account and
 * {{ approval.* }} as edited) once the typing settles. Values with problems are not rendered: the last good
 * preview stays.
 */
export function useLivePreview(approval: Approval, values: ApprovalValues, valid: boolean): Preview | undefined {
  const proposal = approval.proposal;
  const initial: Preview | undefined = !proposal
    ? undefined
    : 'unavailable' in proposal
      ? { kind: 'unavailable', why: proposal.unavailable }
      : {
          kind: 'rendered',
          edited: false,
          email: { subject: proposal.subject, html: proposal.html, text: proposal.text },
        };
  const [preview, setPreview] = useState<Preview | undefined>(initial);
  const edited = JSON.stringify(values) !== JSON.stringify(approval.values);
  const key = JSON.stringify(values);
  useEffect(() => {
    if (!proposal || 'unavailable' in proposal || !valid) return;
    if (!edited) {
      setPreview(initial);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      opsApi
        .render({
          key: proposal.template,
          accountId: approval.account.id ?? undefined,
          variables: { approval: values },
        })
        .then(
          (email) => current && setPreview({ kind: 'rendered', email, edited: true }),
          (error: unknown) => current && setPreview({ kind: 'failed', error }),
        );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` stands for `values`; the approval and its proposal change only with `approval.id`.
  }, [key, valid, approval.id]);
  return preview;
}
