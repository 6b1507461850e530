import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear, scaleTime } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { ChartFrame } from "./ChartFrame";

export interface TrendPoint {
  /** Start of the period (a week's Monday). */
  at: Date;
  value: number | null;
}

interface TrendChartProps {
  title: string;
  summary: string;
  points: readonly TrendPoint[];
  valueLabel: string;
  format: (value: number) => string;
  /** Fixed top of the scale (1 for shares); otherwise the data's maximum. */
  max?: number;
  /** How the value axis labels its ticks, when shorter than `format` (e.g. "90 min"). */
  axisFormat?: (value: number) => string;
  /** Counts: only whole-number ticks. */
  integer?: boolean;
  width?: number;
  height?: number;
}

const MARGIN = { top: 8, right: 12, bottom: 28, left: 44 };
const weekLabel = (at: Date) => at.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/** A weekly trend line; weeks without a value leave a gap. */
export function TrendChart({
  title,
  summary,
  points,
  valueLabel,
  format,
  max,
  axisFormat,
  integer = false,
  width = 360,
  height = 170,
}: TrendChartProps) {
  const innerWidth = width - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const times = points.map((p) => p.at.getTime());
  const first = times.length ? Math.min(...times) : 0;
  const last = times.length ? Math.max(...times) : 1;
  const x = scaleTime<number>({ domain: [new Date(first), new Date(last === first ? first + 1 : last)], range: [0, innerWidth] });
  const top = max ?? Math.max(1, ...points.map((p) => p.value ?? 0));
  const y = scaleLinear<number>({ domain: [0, top], range: [innerHeight, 0], nice: max === undefined });
  return (
    <ChartFrame
      title={title}
      summary={summary}
      rows={points}
      rowKey={(p) => p.at.toISOString()}
      columns={[
        { header: "Week of", cell: (p) => weekLabel(p.at) },
        { header: valueLabel, cell: (p) => (p.value === null ? "—" : format(p.value)) },
      ]}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="presentation" focusable="false">
        <Group left={MARGIN.left} top={MARGIN.top}>
          <LinePath<TrendPoint>
            data={[...points]}
            x={(p) => x(p.at)}
            y={(p) => y(p.value ?? 0)}
            defined={(p) => p.value !== null}
            className="chart__line"
          />
          {points.map((p) =>
            p.value === null ? null : <circle key={p.at.toISOString()} cx={x(p.at)} cy={y(p.value)} r={3} className="chart__dot" />,
          )}
          <AxisLeft
            scale={y}
            tickValues={y.ticks(4).filter((v) => !integer || Number.isInteger(v))}
            tickFormat={(v) => (axisFormat ?? format)(Number(v))}
            tickClassName="chart__tick"
          />
          <AxisBottom top={innerHeight} scale={x} numTicks={3} tickFormat={(v) => weekLabel(v as Date)} tickClassName="chart__tick" />
        </Group>
      </svg>
    </ChartFrame>
  );
}
