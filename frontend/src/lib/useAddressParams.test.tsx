import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";
import { useAddressParams, useTypedAddressParam } from "./useAddressParams";

function Filters() {
  const { searchParams, setParam } = useAddressParams();
  const { value, input, setInput, pending } = useTypedAddressParam("tag", 50);
  return (
    <div>
      <label>
        Tag
        <input
          value={input}
          onChange={(event) => {
            setInput(event.target.value);
          }}
        />
      </label>
      <button
        type="button"
        onClick={() => {
          setParam("sort", searchParams.get("sort") ? null : "top");
        }}
      >
        Toggle sort
      </button>
      <output aria-label="shown">{pending ? "pending" : `tag=${value}`}</output>
    </div>
  );
}

function renderAt(path: string) {
  const router = createMemoryRouter([{ path: "/posts", element: <Filters /> }], { initialEntries: [path] });
  render(<RouterProvider router={router} />);
  const search = () => router.state.location.search;
  return { router, search };
}

describe("filters kept in the address", () => {
  it("writes typed text once typing pauses, trimmed, and removes it when cleared", async () => {
    const user = userEvent.setup();
    const { search } = renderAt("/posts?sort=top");
    const box = screen.getByRole("textbox", { name: "Tag" });

    await user.type(box, "  sql ");
    expect(screen.getByRole("status", { name: "shown" })).toHaveTextContent("pending");
    expect(await screen.findByText("tag=sql")).toBeInTheDocument();
    expect(search()).toBe("?sort=top&tag=sql");

    await user.clear(box);
    expect(await screen.findByText("tag=")).toBeInTheDocument();
    expect(search()).toBe("?sort=top");
  });

  it("starts from the address and sets or removes one parameter without touching the others", async () => {
    const user = userEvent.setup();
    const { search, router } = renderAt("/posts?tag=python&sort=top");
    expect(screen.getByRole("textbox", { name: "Tag" })).toHaveValue("python");
    expect(screen.getByText("tag=python")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Toggle sort" }));
    expect(search()).toBe("?tag=python");
    await user.click(screen.getByRole("button", { name: "Toggle sort" }));
    expect(search()).toBe("?tag=python&sort=top");
    expect(router.state.historyAction).toBe("REPLACE");
  });
});
