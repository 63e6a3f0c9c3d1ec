import type { ApprovalValueProblem, ApprovalValues } from '../../../../engine/approvals/values.js';
import { boundsOf } from '../../../../engine/approvals/values.js';
import type { ApprovalParameter } from '../../../../engine/playbook/nodes.js';
import { humanize } from '../../ui/words.js';

/**
 * The values an approval lets its decider change, each with its bounds from the step's own declaration; the
 * problems shown are the engine's (approvalValueProblems), the same check the decision API and the run make.
 */
export function ParameterFields({
  parameters,
  values,
  problems,
  disabled,
  onChange,
}: {
  parameters: readonly ApprovalParameter[];
  values: ApprovalValues;
  problems: readonly ApprovalValueProblem[];
  disabled: boolean;
  onChange: (values: ApprovalValues) => void;
}) {
  return (
    <fieldset className="group" disabled={disabled}>
      <legend>What you may change before it goes out</legend>
      {parameters.map((parameter) => {
        const id = `param-${parameter.name}`;
        const label = parameter.label ?? humanize(parameter.name, true);
        const problem = problems.find((p) => p.name === parameter.name);
        const value = values[parameter.name] ?? parameter.default;
        const set = (next: string | number) => onChange({ ...values, [parameter.name]: next });
        const hintId = `${id}-hint`;
        const { min, max } = boundsOf(parameter);
        const hint =
          parameter.type === 'percent' || parameter.type === 'number'
            ? `${min ?? '…'}–${max ?? '…'}${parameter.type === 'percent' ? ' %' : ''}, proposed ${parameter.default}`
            : `at most ${parameter.maxLength} characters`;
        return (
          <div className="param" key={parameter.name}>
            <label htmlFor={id}>{label}</label>
            <div>
              {parameter.type === 'paragraph' ? (
                <textarea
                  id={id}
                  rows={4}
                  cols={50}
                  value={String(value)}
                  aria-describedby={hintId}
                  aria-invalid={problem ? true : undefined}
                  onChange={(e) => set(e.target.value)}
                />
              ) : parameter.type === 'text' ? (
                <input
                  id={id}
                  value={String(value)}
                  size={50}
                  aria-describedby={hintId}
                  aria-invalid={problem ? true : undefined}
                  onChange={(e) => set(e.target.value)}
                />
              ) : (
                <input
                  id={id}
                  type="number"
                  value={String(value)}
                  min={min}
                  max={max}
                  step="any"
                  style={{ width: '7rem' }}
                  aria-describedby={hintId}
                  aria-invalid={problem ? true : undefined}
                  // An emptied box is not a number: kept as text so the engine's check names the problem.
                  onChange={(e) => set(e.target.value === '' ? '' : Number(e.target.value))}
                />
              )}{' '}
              <span id={hintId} className="field-hint">
                {hint}
              </span>
              {problem && <div className="field-error">{problem.message}</div>}
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
