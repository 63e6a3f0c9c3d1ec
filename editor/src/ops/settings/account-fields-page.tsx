import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { BuiltInAccountField } from '../../../../engine/accounts/field-list.js';
import { AccountFieldDeclaration, type AccountFieldDefinition } from '../../../../engine/accounts/schema.js';
import { AccountFieldType } from '../../../../engine/playbook/account-fields.js';
import { useSession } from '../../app/session.js';
import { Empty, ErrorMessage } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { DataTable, type Column } from '../ui/data-table.js';
import { when } from '../ui/format.js';
import { SettingsTabs } from './settings-tabs.js';
import '../ops.css';

const CUSTOM_COLUMNS: Column<AccountFieldDefinition>[] = [
  { header: 'Name', rowHeader: true, cell: (field) => <code>{field.name}</code> },
  { header: 'Label', cell: (field) => field.label },
  { header: 'Type', cell: (field) => field.type },
  { header: 'Declared', className: 'nowrap', cell: (field) => when(field.createdAt) },
];

const BUILT_IN_COLUMNS: Column<BuiltInAccountField>[] = [
  { header: 'Name', rowHeader: true, cell: (field) => <code>{field.name}</code> },
  { header: 'Type', cell: (field) => field.type },
  { header: 'Values', cell: (field) => field.values?.join(', ') ?? 'any' },
  { header: 'Set by', cell: (field) => (field.computed ? 'the health scorecard' : 'imports, the API, playbooks') },
];

/**
 * The account fields playbooks, templates and CSV files can use: the built-in ones and the install's custom ones,
 * and (for those who design) a form to declare another. A field's name and type are permanent once declared.
 */
export function AccountFieldsPage() {
  const session = useSession();
  const canDeclare = session?.user.role === 'admin' || session?.user.role === 'ops';
  const fields = useAsync((signal) => opsApi.accountFields(signal), []);
  return (
    <div className="page wide">
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Custom account fields</h2>
      <AsyncView state={fields} what="account fields">
        {(data) => (
          <>
            {data.custom.length === 0 ? (
              <Empty title="No custom fields yet">
                {canDeclare ? 'Declare one below' : 'An admin or ops person can declare them'} to keep your own data on
                accounts (a contract tier, an NPS score) and use it in playbooks and templates.
              </Empty>
            ) : (
              <DataTable
                rows={data.custom}
                columns={CUSTOM_COLUMNS}
                rowKey={(field) => field.name}
                testId="custom-field-list"
                label="Custom account fields"
              />
            )}
            {canDeclare && <DeclareField onDeclared={fields.reload} />}
            <h2>Built-in fields</h2>
            <DataTable
              rows={data.builtIn}
              columns={BUILT_IN_COLUMNS}
              rowKey={(field) => field.name}
              testId="built-in-field-list"
              label="Built-in account fields"
            />
          </>
        )}
      </AsyncView>
    </div>
  );
}

function DeclareField({ onDeclared }: { onDeclared: () => void }) {
  const [failure, setFailure] = useState<unknown>();
  const [declared, setDeclared] = useState<string>();
  const form = useForm<AccountFieldDeclaration>({
    resolver: zodResolver(AccountFieldDeclaration),
    defaultValues: { name: '', type: 'string' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setDeclared(undefined);
    try {
      const field = await opsApi.declareField(values);
      setDeclared(field.name);
      form.reset();
      onDeclared();
    } catch (error) {
      setFailure(error);
    }
  });
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-label="Declare a custom field">
      <h3>Declare a field</h3>
      <div className="filters">
        <label className="field">
          <span>Name (letters, digits, _; as playbooks and CSV headers write it)</span>
          <input
            {...form.register('name')}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'field-name-error' : undefined}
          />
          {errors.name && (
            <span className="field-error" id="field-name-error">
              Name {errors.name.message}
            </span>
          )}
        </label>
        <label className="field">
          <span>Type</span>
          <select {...form.register('type')}>
            {AccountFieldType.options.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Label (optional)</span>
          <input
            {...form.register('label', { setValueAs: (v: string) => v.trim() || undefined })}
            aria-invalid={errors.label ? true : undefined}
          />
          {errors.label && <span className="field-error">Label {errors.label.message}</span>}
        </label>
        <button type="submit" className="primary" disabled={isSubmitting}>
          Declare
        </button>
      </div>
      <p className="muted">A field’s name and type cannot change once declared; its label can.</p>
      {declared && (
        <p className="notice-ok" role="status">
          Declared <code>{declared}</code>.
        </p>
      )}
      {failure !== undefined && <ErrorMessage error={failure} />}
    </form>
  );
}
