import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { accountFieldVocabulary } from '../../../engine/playbook/account-fields.js';
import {
  EmailLocale,
  EmailTemplateContent,
  LOCALE_NAMES,
  templateVocabulary,
  type EmailLocale as Locale,
} from '../../../engine/templates/schema.js';
import { api, type ApiError } from '../api/client.js';
import { loadCatalogue, type TemplateRecord } from '../api/catalogue.js';
import { ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { SourceEditor } from './source-editor.js';

type Content = EmailTemplateContent;
interface Rendered {
  subject: string;
  html: string;
  text: string;
  locale: Locale;
  why: string;
}

const PREVIEW_DELAY_MS = 400;

function blankTemplate(key: string): Content {
  return { name: key, description: '', defaultLocale: 'es', locales: { es: { subject: '', body: '' } } };
}

/** Renders the template being edited in each of its languages, through the server's renderer, as typed. */
function useRenderedPreview(content: Content) {
  const [rendered, setRendered] = useState<Partial<Record<Locale, Rendered | { error: ApiError | Error }>>>({});
  const snapshot = JSON.stringify(content);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const template = JSON.parse(snapshot) as Content;
      const locales = EmailLocale.options.filter((l) => template.locales[l] !== undefined);
      void Promise.all(
        locales.map(async (locale) => {
          try {
            return [locale, await api.post<Rendered>('/api/templates/render', { template, locale })] as const;
          } catch (error) {
            return [locale, { error: error as Error }] as const;
          }
        }),
      ).then((answers) => {
        if (!controller.signal.aborted) setRendered(Object.fromEntries(answers));
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [snapshot]);
  return rendered;
}

function TemplateForm({
  templateKey,
  initial,
  isNew,
  customFields,
}: {
  templateKey: string;
  initial: Content;
  isNew: boolean;
  customFields: Record<string, 'string' | 'number' | 'boolean' | 'date'>;
}) {
  const form = useForm<Content>({ resolver: zodResolver(EmailTemplateContent), mode: 'all', defaultValues: initial });
  const content = useWatch({ control: form.control }) as Content;
  const rendered = useRenderedPreview(content);
  const vocabulary = useMemo(() => templateVocabulary(accountFieldVocabulary(customFields)), [customFields]);
  const [saved, setSaved] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const { errors } = form.formState;
  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    try {
      await api.put<TemplateRecord>(`/api/templates/${encodeURIComponent(templateKey)}`, values);
      setSaved(`Saved ${new Date().toLocaleTimeString()}.`);
    } catch (error) {
      setFailure(error);
    }
  });
  const toggleLocale = (locale: Locale) => {
    const locales = { ...form.getValues('locales') };
    if (locales[locale]) delete locales[locale];
    else locales[locale] = { subject: '', body: '' };
    form.setValue('locales', locales, { shouldValidate: true, shouldDirty: true });
  };
  return (
    <form className="template-editor" onSubmit={(e) => void save(e)} noValidate>
      <div className="template-meta">
        <label className="field">
          <span>Name</span>
          <input {...form.register('name')} aria-invalid={errors.name ? true : undefined} />
          {errors.name && <span className="field-error">{errors.name.message}</span>}
        </label>
        <label className="field">
          <span>Description</span>
          <input {...form.register('description')} />
        </label>
        <label className="field">
          <span>Default language</span>
          <select {...form.register('defaultLocale')}>
            {EmailLocale.options.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
          {errors.defaultLocale && <span className="field-error">{errors.defaultLocale.message}</span>}
        </label>
        <fieldset className="row">
          <legend>Languages</legend>
          {EmailLocale.options.map((l) => (
            <label key={l} className="check">
              <input type="checkbox" checked={content.locales?.[l] !== undefined} onChange={() => toggleLocale(l)} />
              {LOCALE_NAMES[l]}
            </label>
          ))}
        </fieldset>
        {errors.locales?.message && <span className="field-error">{errors.locales.message}</span>}
      </div>
      {EmailLocale.options
        .filter((l) => content.locales?.[l] !== undefined)
        .map((locale) => {
          const result = rendered[locale];
          return (
            <section key={locale} className="template-locale" aria-labelledby={`locale-${locale}`}>
              <div className="template-source">
                <h2 id={`locale-${locale}`}>{LOCALE_NAMES[locale]}</h2>
                <div className="field">
                  <span id={`subject-${locale}`}>Subject</span>
                  <Controller
                    control={form.control}
                    name={`locales.${locale}.subject`}
                    render={({ field }) => (
                      <SourceEditor
                        value={field.value ?? ''}
                        onChange={field.onChange}
                        label={`${LOCALE_NAMES[locale]} subject`}
                        vocabulary={vocabulary}
                        multiline={false}
                      />
                    )}
                  />
                  {errors.locales?.[locale]?.subject && (
                    <span className="field-error">{errors.locales[locale]?.subject?.message}</span>
                  )}
                </div>
                <div className="field">
                  <span>Body (Markdown; variables in {'{{ }}'})</span>
                  <Controller
                    control={form.control}
                    name={`locales.${locale}.body`}
                    render={({ field }) => (
                      <SourceEditor
                        value={field.value ?? ''}
                        onChange={field.onChange}
                        label={`${LOCALE_NAMES[locale]} body`}
                        vocabulary={vocabulary}
                      />
                    )}
                  />
                  {errors.locales?.[locale]?.body && (
                    <span className="field-error">{errors.locales[locale]?.body?.message}</span>
                  )}
                </div>
              </div>
              <div className="template-preview" data-testid={`template-preview-${locale}`}>
                <h3>Preview for a sample customer</h3>
                {!result && <Loading what="the preview" />}
                {result && 'error' in result && <ErrorMessage error={result.error} />}
                {result && 'subject' in result && (
                  <>
                    <p className="preview-subject">
                      <strong>Subject:</strong> {result.subject}
                    </p>
                    <iframe
                      title={`${LOCALE_NAMES[locale]} email preview`}
                      sandbox=""
                      srcDoc={result.html}
                      className="email-frame"
                    />
                  </>
                )}
              </div>
            </section>
          );
        })}
      {failure !== undefined && <ErrorMessage error={failure} />}
      <div className="actions">
        <button type="submit" className="primary">
          {isNew ? 'Create template' : 'Save template'}
        </button>
        {saved && <span role="status">{saved}</span>}
      </div>
    </form>
  );
}

/** /templates/:key — the email template editor: source with completion, live preview in each language. */
export function TemplateEditorPage() {
  const { key = '' } = useParams();
  const loaded = useAsync(
    async (signal) => {
      const catalogue = await loadCatalogue(signal);
      const existing = catalogue.templates.find((t) => t.key === key);
      return { catalogue, existing };
    },
    [key],
  );
  return (
    <div className="page wide">
      <h1>
        <Link to="/templates">Email templates</Link> / {key}
      </h1>
      {loaded.status === 'loading' && <Loading what="the template" />}
      {loaded.status === 'error' && <ErrorMessage error={loaded.error} onRetry={loaded.reload} />}
      {loaded.status === 'ready' && (
        <TemplateForm
          templateKey={key}
          isNew={!loaded.data.existing}
          customFields={loaded.data.catalogue.compileContext.accountFields ?? {}}
          initial={
            loaded.data.existing
              ? {
                  name: loaded.data.existing.name,
                  description: loaded.data.existing.description ?? '',
                  defaultLocale: loaded.data.existing.defaultLocale,
                  locales: loaded.data.existing.locales,
                }
              : blankTemplate(key)
          }
        />
      )}
    </div>
  );
}
