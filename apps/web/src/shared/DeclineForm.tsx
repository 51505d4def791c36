import { useState, type CSSProperties, type ReactNode } from 'react';
import { ApiFailure } from './api';
import { CodeOptions } from './CodeOptions';
import { DECLINE_REASON_LABELS } from './labels';

export interface Decline {
  reason: string;
  comment?: string;
}

const NEEDS_COMMENT = 'Précisez le motif : le commentaire est obligatoire pour « Autre raison ».';

/** The API's 400 on a decline, by field, in the partner's words ("vous"). */
function refusedFields(error: unknown): Record<string, string> {
  if (!(error instanceof ApiFailure) || error.status !== 400) return {};
  const said: Record<string, string> = {};
  for (const d of error.details)
    said[d.field === 'comment' ? 'comment' : 'reason'] ??= d.field === 'comment' ? NEEDS_COMMENT : 'Choisissez un motif dans la liste.';
  return said;
}

/**
 * A partner declines a referral: the reason list, a comment required for OTHER (checked here
 * before sending, and by the API). One form for the console's referral page and the signed-link
 * page; each sends the decline its own way and passes the failure of the last attempt as `error`
 * (a 400 is said next to its field here; anything else is the page's to say).
 */
export function DeclineForm({
  onDecline,
  busy,
  error,
  heading,
  submitLabel,
  className,
  style,
}: {
  onDecline: (decline: Decline) => void;
  busy: boolean;
  error?: unknown;
  heading?: ReactNode;
  submitLabel: string;
  className?: string;
  style?: CSSProperties;
}) {
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const errors = { ...refusedFields(error), ...checked };

  return (
    <form
      className={className}
      style={style}
      noValidate
      aria-labelledby={heading ? 'decline-title' : undefined}
      onSubmit={(e) => {
        e.preventDefault();
        const found: Record<string, string> = {};
        if (!reason) found.reason = 'Choisissez un motif.';
        else if (reason === 'OTHER' && !comment.trim()) found.comment = NEEDS_COMMENT;
        setChecked(found);
        if (!Object.keys(found).length) onDecline({ reason, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      }}
    >
      {heading && (
        <h2 id="decline-title" style={{ marginTop: 0 }}>
          {heading}
        </h2>
      )}
      <div className="field">
        <label htmlFor="reason">Motif du refus</label>
        <select
          id="reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? 'reason-error' : undefined}
        >
          <option value="">Choisissez…</option>
          <CodeOptions labels={DECLINE_REASON_LABELS} />
        </select>
        {errors.reason && (
          <p className="error" id="reason-error" role="alert">
            {errors.reason}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="comment">Commentaire {reason === 'OTHER' ? '(obligatoire)' : '(facultatif)'}</label>
        <textarea
          id="comment"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-invalid={errors.comment ? true : undefined}
          aria-describedby={errors.comment ? 'comment-error' : undefined}
        />
        {errors.comment && (
          <p className="error" id="comment-error" role="alert">
            {errors.comment}
          </p>
        )}
      </div>
      <button type="submit" className="secondary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
