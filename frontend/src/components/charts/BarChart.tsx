import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { ChartFrame } from "./ChartFrame";

export interface BarDatum {
  label: string;
  value: number;
}

interface BarChartProps {
  title: string;
  summary: string;
  data: readonly BarDatum[];
  valueLabel: string;
  width?: number;
  height?: number;
}

const MARGIN = { top: 8, right: 8, bottom: 28, left: 36 };

/** Bars for counts per period (a ledger's quarters). Scales to its container's width. */
export function BarChart({ title, summary, data, valueLabel, width = 360, height = 170 }: BarChartProps) {
  const innerWidth = width - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const x = scaleBand<string>({ domain: data.map((d) => d.label), range: [0, innerWidth], padding: 0.25 });
  const max = Math.max(1, ...data.map((d) => d.value));
  const y = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  return (
    <ChartFrame
      title={title}
      summary={summary}
      rows={data}
      rowKey={(d) => d.label}
      columns={[
        { header: "Period", cell: (d) => d.label },
        { header: valueLabel, cell: (d) => d.value.toLocaleString() },
      ]}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="presentation" focusable="false">
        <Group left={MARGIN.left} top={MARGIN.top}>
          {data.map((d) => {
            const barHeight = innerHeight - y(d.value);
            return (
              <Bar
                key={d.label}
                x={x(d.label)}
                y={innerHeight - barHeight}
                width={x.bandwidth()}
                height={barHeight}
                className="chart__bar"
              />
            );
          })}
          <AxisLeft
            scale={y}
            tickValues={y.ticks(4).filter((v) => Number.isInteger(v))}
            tickFormat={(v) => Number(v).toLocaleString()}
            tickClassName="chart__tick"
          />
          <AxisBottom top={innerHeight} scale={x} tickClassName="chart__tick" />
        </Group>
      </svg>
    </ChartFrame>
  );
}
