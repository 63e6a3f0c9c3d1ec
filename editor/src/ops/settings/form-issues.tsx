import type { z } from 'zod';

/** The schema's complaints about a draft, each with where it is, before anything is sent. */
export function FormIssues({ error }: { error: z.ZodError | undefined }) {
  if (!error) return null;
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Not saved:</strong> fix these first.
      </p>
      <ul>
        {error.issues.map((issue, i) => (
          <li key={i}>
            <code>{issue.path.join('.') || '(form)'}</code> {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
