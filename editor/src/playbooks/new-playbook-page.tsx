import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { PlaybookDefinition } from '../../../engine/playbook/schema.js';
import { playbooksApi } from '../api/playbooks.js';
import { ErrorMessage } from '../ui/states.js';
import { starterPlaybook } from './starter.js';

// The three facts a playbook starts from, checked by the definition's own schema.
const NewPlaybook = PlaybookDefinition.pick({ key: true, name: true, description: true });

export function NewPlaybookPage() {
  const navigate = useNavigate();
  const [failure, setFailure] = useState<unknown>();
  const form = useForm({
    resolver: zodResolver(NewPlaybook),
    defaultValues: { key: '', name: '', description: '' },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      await playbooksApi.create(starterPlaybook(values.key, values.name, values.description));
      await navigate(`/playbooks/${values.key}`);
    } catch (error) {
      setFailure(error);
    }
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <div className="page narrow">
      <h1>New playbook</h1>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <label className="field">
          <span>Name</span>
          <input {...form.register('name')} aria-invalid={errors.name ? true : undefined} autoFocus />
          {errors.name && <span className="field-error">{errors.name.message}</span>}
        </label>
        <label className="field">
          <span>Key (used in the API and the CLI; cannot change later)</span>
          <input
            {...form.register('key')}
            placeholder="e.g. onboarding-30d"
            aria-invalid={errors.key ? true : undefined}
          />
          {errors.key && <span className="field-error">{errors.key.message}</span>}
        </label>
        <label className="field">
          <span>Description</span>
          <textarea {...form.register('description')} rows={3} />
        </label>
        {failure !== undefined && <ErrorMessage error={failure} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={isSubmitting}>
            Create and open
          </button>
          <Link to="/playbooks">Cancel</Link>
        </div>
      </form>
    </div>
  );
}
