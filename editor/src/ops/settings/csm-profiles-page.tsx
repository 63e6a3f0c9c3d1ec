import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Email } from '../../../../engine/accounts/schema.js';
import { CsmProfileInput, type CsmProfile } from '../../../../engine/people/csm-profile.js';
import { useSession } from '../../app/session.js';
import { Empty, ErrorMessage } from '../../ui/states.js';
import { useAsync } from '../../ui/use-async.js';
import { opsApi } from '../api.js';
import { AsyncView } from '../ui/async-view.js';
import { SettingsTabs } from './settings-tabs.js';
import '../ops.css';

// The form edits a profile as CsmProfileInput (the API's own schema); blank boxes mean "no value" (null).
const ProfileForm = z.object({ email: Email, name: z.string(), bookingLink: z.string(), signature: z.string() });
type ProfileForm = z.infer<typeof ProfileForm>;

const toInput = (form: ProfileForm) => ({
  name: form.name.trim() || null,
  bookingLink: form.bookingLink.trim() || null,
  signature: form.signature.trim() || null,
});

/** How each CSM signs the playbook emails of the accounts they own: name, booking link, signature. */
export function CsmProfilesPage() {
  const profiles = useAsync((signal) => opsApi.csms(signal), []);
  return (
    <div className="page">
      <h1>Settings</h1>
      <SettingsTabs />
      <p className="muted">
        Emails to an account sign with its owner CSM’s profile (csm.name, csm.booking_link, csm.signature in templates).
      </p>
      <AsyncView
        state={profiles}
        what="CSM profiles"
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty title="No CSM profiles yet">Add one below.</Empty>}
      >
        {(data) => (
          <ul className="list-select">
            {data.items.map((profile) => (
              <li key={profile.email}>
                <ProfileEditor profile={profile} onSaved={profiles.reload} />
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <h2>Add a profile</h2>
      <ProfileEditor onSaved={profiles.reload} />
    </div>
  );
}

function ProfileEditor({ profile, onSaved }: { profile?: CsmProfile; onSaved: () => void }) {
  const session = useSession();
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  // A CSM edits their own profile; managers their team's, admins and ops anyone's (the server decides).
  const mayEdit = session?.user.role !== 'viewer';
  const form = useForm<ProfileForm>({
    resolver: zodResolver(
      ProfileForm.superRefine((values, ctx) => {
        const checked = CsmProfileInput.safeParse(toInput(values));
        for (const issue of checked.error?.issues ?? []) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
      }),
    ),
    defaultValues: {
      email: profile?.email ?? '',
      name: profile?.name ?? '',
      bookingLink: profile?.bookingLink ?? '',
      signature: profile?.signature ?? '',
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    try {
      await opsApi.saveCsm(values.email, toInput(values));
      setSaved(true);
      if (!profile) form.reset();
      onSaved();
    } catch (error) {
      setFailure(error);
    }
  });
  const idBase = `csm-${profile?.email ?? 'new'}`;
  return (
    <form
      className="card"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={profile ? `Profile of ${profile.email}` : 'New CSM profile'}
    >
      {profile ? (
        <h3>{profile.email}</h3>
      ) : (
        <label className="field" htmlFor={`${idBase}-email`}>
          <span>Email (as accounts name their owner CSM)</span>
          <input
            id={`${idBase}-email`}
            type="email"
            {...form.register('email')}
            aria-invalid={errors.email ? true : undefined}
          />
          {errors.email && <span className="field-error">Email {errors.email.message}</span>}
        </label>
      )}
      <fieldset className="group" disabled={!mayEdit}>
        <legend className="visually-hidden">Profile</legend>
        <label className="field">
          <span>Name they sign with</span>
          <input {...form.register('name')} aria-invalid={errors.name ? true : undefined} />
          {errors.name && <span className="field-error">Name {errors.name.message}</span>}
        </label>
        <label className="field">
          <span>Booking link</span>
          <input type="url" {...form.register('bookingLink')} aria-invalid={errors.bookingLink ? true : undefined} />
          {errors.bookingLink && <span className="field-error">Booking link {errors.bookingLink.message}</span>}
        </label>
        <label className="field">
          <span>Signature (plain text or Markdown)</span>
          <textarea rows={3} {...form.register('signature')} aria-invalid={errors.signature ? true : undefined} />
          {errors.signature && <span className="field-error">Signature {errors.signature.message}</span>}
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={isSubmitting}>
            {profile ? 'Save' : 'Add profile'}
          </button>
          {saved && (
            <span role="status" className="notice-ok">
              Saved.
            </span>
          )}
        </div>
      </fieldset>
      {failure !== undefined && <ErrorMessage error={failure} />}
    </form>
  );
}
