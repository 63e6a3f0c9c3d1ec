import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ImportKind, type ImportReport } from '../../../../engine/accounts/import-report.js';
import { ErrorMessage } from '../../ui/states.js';
import { opsApi } from '../api.js';
import { durationWords } from '../../../../engine/text/words.js';
import { counted } from '../ui/format.js';
import '../ops.css';

type Result = { report: ImportReport; dryRun: boolean; file: string };

/**
 * A CSV import in two steps: a dry run reports every row as the import would (created, updated, unchanged,
 * rejected with why) and what it will set in motion (playbooks its changes enroll accounts in, how long handing
 * them over takes), and writes nothing; then the same file is imported for real. Encoding and number-format
 * problems come back as the server words them (it never guesses).
 */
export function ImportPage() {
  const [file, setFile] = useState<File>();
  const [kind, setKind] = useState<ImportKind>('accounts');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>();
  const [failure, setFailure] = useState<unknown>();
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setFailure(undefined);
    setResult(undefined);
    try {
      const csv = new File([file], file.name, { type: 'text/csv' });
      setResult({ report: await opsApi.importCsv(csv, kind, dryRun), dryRun, file: file.name });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const check = (event: FormEvent) => {
    event.preventDefault();
    void run(true);
  };
  const checked = result?.dryRun === true && result.file === file?.name;
  return (
    <div className="page">
      <p>
        <Link to="/accounts">← Accounts</Link>
      </p>
      <h1>Import accounts or contacts</h1>
      <p className="muted">
        A CSV file saved as UTF-8, comma-separated, with the column names on the first line (external_id, name, segment,
        owner_csm_email, renewal_date… — see the README). Check it first: nothing is written until you import.
      </p>
      <form onSubmit={check}>
        <div className="row">
          <label className="field">
            <span>CSV file</span>
            <input
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                setFile(e.target.files?.[0]);
                setResult(undefined);
              }}
            />
          </label>
          <label className="field">
            <span>The file holds</span>
            <select value={kind} onChange={(e) => setKind(ImportKind.parse(e.target.value))}>
              {ImportKind.options.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={!file || busy}>
            Check the file (dry run)
          </button>
          <button type="button" disabled={!checked || busy} onClick={() => void run(false)}>
            Import it
          </button>
          {busy && (
            <span role="status" className="muted">
              Reading the file…
            </span>
          )}
        </div>
      </form>
      {failure !== undefined && <ErrorMessage error={failure} />}
      {result && <ImportReportView result={result} />}
    </div>
  );
}

function ImportReportView({ result: { report, dryRun } }: { result: Result }) {
  return (
    <section aria-labelledby="report-title" data-testid="import-report">
      <h2 id="report-title">{dryRun ? 'Dry run: nothing was written' : 'Imported'}</h2>
      <p role="status">
        {report.rows} row{report.rows === 1 ? '' : 's'} read: {report.created} {dryRun ? 'would be created' : 'created'}
        , {report.updated} {dryRun ? 'would be updated' : 'updated'}, {report.unchanged} unchanged,{' '}
        {report.rejected.length} rejected.
      </p>
      <SetInMotion report={report} dryRun={dryRun} />
      {report.rejected.length > 0 && (
        <table className="table report-table">
          <caption className="visually-hidden">Rejected rows</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">{report.kind === 'accounts' ? 'External id' : 'Account · email'}</th>
              <th scope="col">What to fix</th>
            </tr>
          </thead>
          <tbody>
            {report.rejected.map((row) => (
              <tr key={row.row}>
                <td>Row {row.row}</td>
                <td>{[row.externalId, row.email].filter(Boolean).join(' · ') || '—'}</td>
                <td>
                  <ul className="why-list">
                    {row.issues.map((issue, i) => (
                      <li key={i}>
                        {issue.column ? <code>{issue.column}</code> : 'The row'} {issue.message}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dryRun && report.rejected.length > 0 && (
        <p className="muted">Rejected rows change nothing when you import; fix them and import the file again later.</p>
      )}
    </section>
  );
}

/** The playbooks an accounts import's changes would enroll accounts in, and the pace they are handed over at. */
function SetInMotion({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const { enrollments, handOff } = report;
  if (enrollments === undefined && handOff === undefined) return null;
  const handed = handOff?.accounts ?? 0;
  return (
    <div data-testid="import-forecast">
      <h3>{dryRun ? 'What importing it sets in motion' : 'What it set in motion'}</h3>
      {enrollments && enrollments.length > 0 ? (
        <>
          <ul className="why-list">
            {enrollments.map((e) => (
              <li key={e.playbookKey}>
                {dryRun ? 'Will start' : 'Starting'}: <strong>{e.name}</strong> for {counted(e.accounts, 'account')}
                {e.example && <span className="muted"> ({e.example})</span>}
              </li>
            ))}
          </ul>
          <p className="muted">
            At most: enrollment policies (one run at a time, cooldowns, a catch-up with no step ahead) may enroll fewer.
          </p>
        </>
      ) : (
        <p>{handed > 0 ? 'No published playbook starts from these changes.' : 'No account changes to hand over.'}</p>
      )}
      {handOff && handed > 0 && (
        <p>
          {handOff.estimatedSeconds <= 1
            ? `Handing ${counted(handed, 'account')} to their playbooks ${dryRun ? 'will take' : 'takes'} a moment.`
            : `Handing ${counted(handed, 'account')} to their playbooks takes about ${durationWords(handOff.estimatedSeconds)}` +
              ` (${handOff.perSecond.toLocaleString('en')} a second, so other accounts’ steps are not held up).`}
        </p>
      )}
    </div>
  );
}
