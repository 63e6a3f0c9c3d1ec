import { zodResolver } from '@hookform/resolvers/zod';
import { DateTime } from 'luxon';
import { useEffect, useState } from 'react';
import { FormProvider, useForm, useWatch, type FieldValues, type Resolver } from 'react-hook-form';
import type { z } from 'zod';
import type { RunResult } from '../../../engine/interpreter/types.js';
import type { AccountFieldVocabulary } from '../../../engine/playbook/account-fields.js';
import type { CompiledPlaybook } from '../../../engine/playbook/ir.js';
import { SimulationRequest } from '../../../engine/simulator/schemas.js';
import { simulate } from '../../../engine/simulator/simulate.js';
import { useFormCatalogue } from '../forms/catalogue-context.js';
import { SchemaField } from '../forms/schema-field.js';
import { humanize } from '../ui/words.js';
import { SampleAccountFields } from './sample-account-fields.js';
import { Timeline } from './timeline.js';

/** Scripted parts of the request (events, approvals, failures…), drawn from the engine's schema. */
const SCRIPTED = Object.entries(SimulationRequest.shape).filter(([key]) => key !== 'account' && key !== 'startAt');

function initialRequest(vocabulary: AccountFieldVocabulary): z.input<typeof SimulationRequest> {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const fields: Record<string, string> = {};
  // A sample that takes the common path: the first value of each enumerated field a person sets, a renewal in a year.
  for (const [name, spec] of Object.entries(vocabulary)) {
    if (spec.values && !spec.computed) fields[name] = spec.values[0]!;
  }
  fields.renewalDate = DateTime.now().plus({ years: 1 }).toISODate()!;
  const start = DateTime.now().setZone(zone).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  return {
    account: { id: 'sample-account', timeZone: zone, fields },
    startAt: start.toISO({ suppressMilliseconds: true })!,
  };
}

const withoutEmpty = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));

type Outcome = { ok: true; result: RunResult } | { ok: false; message: string };

/**
 * The time-travel preview: the engine's simulator (the interpreter the runs use, on a virtual clock) runs the
 * compiled draft for a sample account and scripted events, here in the browser, after every change.
 */
export function PreviewPanel({
  compiled,
  onResult,
  onFocusStep,
}: {
  compiled: CompiledPlaybook | undefined;
  onResult: (result: RunResult | undefined) => void;
  onFocusStep: (nodeId: string) => void;
}) {
  const { vocabulary } = useFormCatalogue();
  const form = useForm<FieldValues>({
    resolver: zodResolver(SimulationRequest as unknown as z.ZodType<FieldValues, FieldValues>) as Resolver<FieldValues>,
    mode: 'all',
    defaultValues: initialRequest(vocabulary),
  });
  const values = useWatch({ control: form.control });
  const [outcome, setOutcome] = useState<Outcome>();
  const snapshot = JSON.stringify(values);

  useEffect(() => {
    if (!compiled) {
      setOutcome(undefined);
      onResult(undefined);
      return;
    }
    const parsed = SimulationRequest.safeParse(JSON.parse(snapshot));
    if (!parsed.success) {
      setOutcome({ ok: false, message: 'Complete the sample above to see the timeline.' });
      return;
    }
    let current = true;
    // Everything the script says (events, approvals, failures, field changes, calendar) goes to the simulator as is.
    const { account, startAt, ...script } = parsed.data;
    simulate({
      ...script,
      playbook: compiled,
      account: { ...account, fields: withoutEmpty(account.fields) },
      startAt: startAt ?? new Date().toISOString(),
    }).then(
      (result) => {
        if (!current) return;
        setOutcome({ ok: true, result });
        onResult(result);
      },
      (error: unknown) => current && setOutcome({ ok: false, message: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [compiled, snapshot, onResult]);

  const zone = String((values as { account?: { timeZone?: string } }).account?.timeZone ?? 'UTC');
  return (
    <section className="panel-section" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <FormProvider {...form}>
        <form className="schema-form" aria-label="Preview sample" onSubmit={(e) => e.preventDefault()} noValidate>
          <SampleAccountFields zone={zone} />
          {SCRIPTED.map(([key, schema]) => (
            <SchemaField key={key} schema={schema} name={key} label={`Scripted ${humanize(key)}`} />
          ))}
        </form>
      </FormProvider>
      {!compiled && (
        <p className="state">Fix the problems first: the preview runs the playbook as it would be published.</p>
      )}
      {outcome && !outcome.ok && <p className="state state-error">{outcome.message}</p>}
      {outcome?.ok && (
        <>
          <p className="preview-end" role="status">
            {outcome.result.exited ? `Exits: ${outcome.result.exited.label}` : 'Ends'} on day{' '}
            {outcome.result.timeline.at(-1)?.day ?? 0} at step <code>{outcome.result.endNodeId}</code>.
          </p>
          <Timeline timeline={outcome.result.timeline} zone={zone} onFocusStep={onFocusStep} />
        </>
      )}
    </section>
  );
}
