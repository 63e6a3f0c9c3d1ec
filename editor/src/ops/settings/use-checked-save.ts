import { useState } from 'react';
import type { z } from 'zod';

/**
 * How a settings form saves: check the value against the engine's schema first (the issues show beside the form,
 * nothing is sent), then send it; the server's refusal shows as written. `saved` stays until the next attempt,
 * because the form stays on screen after saving.
 */
export function useCheckedSave<T, Answer>(
  schema: z.ZodType<T>,
  send: (value: T) => Promise<Answer>,
  onSaved: (answer: Answer) => void,
) {
  const [issues, setIssues] = useState<z.ZodError>();
  const [failure, setFailure] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  async function save(value: unknown) {
    setSaved(false);
    setFailure(undefined);
    const checked = schema.safeParse(value);
    setIssues(checked.error);
    if (!checked.success) return;
    setSaving(true);
    try {
      onSaved(await send(checked.data));
      setSaved(true);
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  }

  return { save, issues, failure, saving, saved };
}
