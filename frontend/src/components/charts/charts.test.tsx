import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BarChart } from "./BarChart";
import { TrendChart } from "./TrendChart";

describe("charts", () => {
  it("draws bars and gives screen readers the same figures as a table", async () => {
    render(
      <BarChart
        title="Acts per quarter"
        summary="7 acts over 2 quarters."
        valueLabel="Acts"
        data={[
          { label: "2026-Q3", value: 3 },
          { label: "2026-Q4", value: 4 },
        ]}
      />,
    );
    const figure = screen.getByRole("figure", { name: "Acts per quarter" });
    expect(within(figure).getByText("7 acts over 2 quarters.")).toBeInTheDocument();
    expect(figure.querySelectorAll(".chart__bar")).toHaveLength(2);
    // The drawing is hidden from assistive technology; the table is not.
    expect(figure.querySelector(".chart__drawing")).toHaveAttribute("aria-hidden", "true");
    const table = within(figure).getByRole("table", { name: "Acts per quarter" });
    expect(within(table).getAllByRole("row").map((row) => row.textContent)).toEqual([
      "PeriodActs",
      "2026-Q33",
      "2026-Q44",
    ]);
    const toggle = within(figure).getByRole("button", { name: "Show the figures" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(table.parentElement).toHaveClass("chart__table-wrap");
  });

  it("leaves a gap for weeks without a value and says so in the table", () => {
    render(
      <TrendChart
        title="Questions answered"
        summary="This week: 50%."
        valueLabel="Answered"
        format={(v) => `${Math.round(v * 100)}%`}
        max={1}
        points={[
          { at: new Date("2026-11-16T00:00:00Z"), value: 0.25 },
          { at: new Date("2026-11-23T00:00:00Z"), value: null },
          { at: new Date("2026-11-30T00:00:00Z"), value: 0.5 },
        ]}
      />,
    );
    const figure = screen.getByRole("figure", { name: "Questions answered" });
    expect(figure.querySelectorAll(".chart__dot")).toHaveLength(2);
    const cells = within(figure)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells).toEqual(["Nov 16", "25%", "Nov 23", "—", "Nov 30", "50%"]);
  });
});
