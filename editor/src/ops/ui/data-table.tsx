import type { ReactNode } from 'react';

export interface Column<T> {
  /** The column's heading (also what a screen reader announces for each cell). */
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** A class on each cell: `nowrap` for dates, `num` for figures. */
  className?: string;
  /** This column names the row (a `th scope="row"`), as the account or token name does. */
  rowHeader?: boolean;
}

/**
 * The operations pages' table: a heading row of column headers, one row per item, the same classes everywhere.
 * `label` names the table for assistive technology when no caption is shown; `testId` is what tests find it by.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  label,
  testId,
  rowClassName,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  label?: string;
  testId?: string;
  rowClassName?: (row: T) => string | undefined;
}) {
  return (
    <table className="table" data-testid={testId} aria-label={label}>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th scope="col" key={i} className={column.className}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)}>
            {columns.map((column, i) =>
              column.rowHeader ? (
                <th scope="row" key={i} className={column.className}>
                  {column.cell(row)}
                </th>
              ) : (
                <td key={i} className={column.className}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
