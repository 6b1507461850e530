import { useId, useState, type ReactNode } from "react";

export interface ChartColumn<Row> {
  header: string;
  cell: (row: Row) => string;
}

interface ChartFrameProps<Row> {
  title: string;
  /** One sentence a sighted reader takes from the chart at a glance (latest value, trend). */
  summary: string;
  rows: readonly Row[];
  columns: readonly ChartColumn<Row>[];
  rowKey: (row: Row) => string;
  children: ReactNode;
}

/**
 * A chart with its data as a table. The drawing is hidden from assistive technology; the table
 * carries the same numbers and is always in the accessibility tree (visually hidden until the
 * toggle shows it to anyone who prefers reading figures).
 */
export function ChartFrame<Row>({ title, summary, rows, columns, rowKey, children }: ChartFrameProps<Row>) {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption className="chart__caption">
        <span id={`${id}-title`} className="chart__title">
          {title}
        </span>
        <span className="chart__summary">{summary}</span>
      </figcaption>
      <div className="chart__drawing" aria-hidden="true">
        {children}
      </div>
      <button
        type="button"
        className="chart__toggle"
        aria-expanded={showTable}
        aria-controls={`${id}-table`}
        onClick={() => {
          setShowTable((shown) => !shown);
        }}
      >
        {showTable ? "Hide the figures" : "Show the figures"}
      </button>
      <div id={`${id}-table`} className={showTable ? "chart__table-wrap" : "visually-hidden"}>
        <ChartTable title={title} rows={rows} columns={columns} rowKey={rowKey} />
      </div>
    </figure>
  );
}

function ChartTable<Row>({
  title,
  rows,
  columns,
  rowKey,
}: {
  title: string;
  rows: readonly Row[];
  columns: readonly ChartColumn<Row>[];
  rowKey: (row: Row) => string;
}) {
  return (
    <table className="chart__table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
    </table>
  );
}
