import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { createMemoryRouter, RouterProvider, useParams } from "react-router";
import { describe, expect, it } from "vitest";
import { json, mockApi } from "../../test/fetchMock";
import { adaSummary, page } from "../../test/communityFixtures";
import { MarkdownEditor } from "./MarkdownEditor";
import { SimilarQuestions } from "./SimilarQuestions";
import { post } from "../../test/postFixtures";

function Editor({ initial = "" }: { initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <MarkdownEditor id="body" label="Details" value={value} onChange={setValue} />
      <output data-testid="value">{value}</output>
    </>
  );
}

function Profile() {
  const { handle } = useParams();
  return <h1>Profile of {handle}</h1>;
}

function renderWith(element: React.ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    [
      { path: "/", element },
      { path: "/people/:handle", element: <Profile /> },
      { path: "/posts/:id", element: <h1>A post</h1> },
    ],
    { initialEntries: ["/"] },
  );
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { user, router };
}

const grace = { ...adaSummary, id: "0b7d3f7e-2c1a-4d5e-9f60-7a8b9c0d1e2f", handle: "grace", display_name: "Grace Hopper" };

describe("@mention suggestions", () => {
  it("lists matching people as a listbox the arrows move through, and inserts the chosen @handle", async () => {
    const api = mockApi().on("GET", "/api/v1/users", () => json(200, page([adaSummary, grace])));
    const { user } = renderWith(<Editor />);
    const text = screen.getByLabelText("Details");

    await user.type(text, "Thanks @gr");
    const list = await screen.findByRole("listbox", { name: "People to mention" });
    const options = within(list).getAllByRole("option");
    expect(options).toHaveLength(2);
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    expect(text).toHaveAttribute("aria-activedescendant", options[0]?.id);
    expect(text).toHaveAttribute("aria-controls", list.id);
    expect(api.callsTo("GET", "/api/v1/users").at(-1)?.url.searchParams.get("q")).toBe("gr");

    await user.keyboard("{ArrowDown}");
    expect(options[1]).toHaveAttribute("aria-selected", "true");
    expect(text).toHaveAttribute("aria-activedescendant", options[1]?.id);
    await user.keyboard("{Enter}");

    expect(screen.getByTestId("value")).toHaveTextContent("Thanks @grace");
    expect(screen.queryByRole("listbox", { name: "People to mention" })).not.toBeInTheDocument();
    expect(text).not.toHaveAttribute("aria-activedescendant");
  });

  it("closes on Escape and keeps what was typed", async () => {
    mockApi().on("GET", "/api/v1/users", () => json(200, page([adaSummary])));
    const { user } = renderWith(<Editor />);
    await user.type(screen.getByLabelText("Details"), "@ad");
    await screen.findByRole("listbox", { name: "People to mention" });
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("listbox", { name: "People to mention" })).not.toBeInTheDocument();
    expect(screen.getByTestId("value")).toHaveTextContent("@ad");
  });

  it("does not suggest people for an e-mail address", async () => {
    const api = mockApi().on("GET", "/api/v1/users", () => json(200, page([adaSummary])));
    const { user } = renderWith(<Editor />);
    await user.type(screen.getByLabelText("Details"), "mail ada@example");
    await act(() => new Promise((resolve) => setTimeout(resolve, 300)));
    expect(api.callsTo("GET", "/api/v1/users")).toHaveLength(0);
  });
});

describe("the formatting toolbar", () => {
  it("is one tab stop with named buttons that format the selection, and has keyboard shortcuts", async () => {
    mockApi();
    const { user } = renderWith(<Editor initial="make this loud" />);
    const text = screen.getByLabelText<HTMLTextAreaElement>("Details");
    const toolbar = screen.getByRole("toolbar", { name: "Formatting" });
    const names = within(toolbar)
      .getAllByRole("button")
      .map((button) => button.textContent);
    expect(names).toEqual(["Bold", "Italic", "Link", "Code", "List", "Quote"]);
    expect(within(toolbar).getByRole("button", { name: "Bold" })).toHaveAttribute("aria-keyshortcuts", "Control+B");

    text.setSelectionRange(10, 14);
    await user.click(within(toolbar).getByRole("button", { name: "Bold" }));
    expect(screen.getByTestId("value")).toHaveTextContent("make this **loud**");
    // The text keeps the focus, with the formatted words selected.
    await act(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(text).toHaveFocus();
    expect(text.value.slice(text.selectionStart, text.selectionEnd)).toBe("loud");

    // Arrow keys move inside the toolbar.
    within(toolbar).getByRole("button", { name: "Bold" }).focus();
    await user.keyboard("{ArrowRight}");
    expect(within(toolbar).getByRole("button", { name: "Italic" })).toHaveFocus();

    text.focus();
    text.setSelectionRange(0, 4);
    await user.keyboard("{Control>}i{/Control}");
    expect(screen.getByTestId("value")).toHaveTextContent("_make_ this **loud**");
  });
});

describe("the preview", () => {
  it("shows the server's rendering, whose mention links open the person's page in the app", async () => {
    const api = mockApi().on("POST", "/api/v1/markdown/preview", () =>
      json(200, { html: '<p><strong>Hi</strong> <a href="/people/grace" class="mention">@grace</a></p>\n' }),
    );
    const { user, router } = renderWith(<Editor initial="**Hi** @grace" />);

    await user.click(screen.getByRole("tab", { name: "Preview" }));
    expect(screen.getByRole("tab", { name: "Preview" })).toHaveAttribute("aria-selected", "true");
    const panel = screen.getByRole("tabpanel", { name: "Preview" });
    expect(await within(panel).findByText("Hi")).toHaveProperty("tagName", "STRONG");
    expect(screen.queryByRole("toolbar")).not.toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", "/api/v1/markdown/preview")[0]?.body ?? "")).toEqual({ body: "**Hi** @grace" });

    await user.click(within(panel).getByRole("link", { name: "@grace" }));
    expect(router.state.location.pathname).toBe("/people/grace");
  });

  it("says so when there is nothing to preview, and Write goes back to the text", async () => {
    mockApi();
    const { user } = renderWith(<Editor />);
    await user.click(screen.getByRole("tab", { name: "Preview" }));
    expect(screen.getByText("Nothing to preview yet.")).toBeInTheDocument();
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByRole("tab", { name: "Write" })).toHaveFocus();
    expect(screen.getByLabelText("Details")).toBeVisible();
  });
});

describe("similar questions", () => {
  it("searches questions with the title's meaningful words and links up to five", async () => {
    const hits = Array.from({ length: 6 }, (_, i) => ({
      ...post({ id: `5f0c2d1e-0000-4000-8000-00000000000${i}`, title: `Fact tables ${i}` }),
      snippet: "",
    }));
    const api = mockApi().on("GET", "/api/v1/search/posts", () => json(200, page(hits)));
    renderWith(<SimilarQuestions title="How do you name fact tables?" />);

    const region = await screen.findByRole("region", { name: "Similar questions, perhaps already answered" });
    expect(within(region).getAllByRole("link")).toHaveLength(5);
    expect(within(region).getByRole("link", { name: "Fact tables 0" })).toHaveAttribute("href", `/posts/${hits[0]?.id}`);
    const query = api.callsTo("GET", "/api/v1/search/posts")[0]?.url.searchParams;
    expect(query?.get("q")).toBe("name or fact or tables");
    expect(query?.get("kind")).toBe("question");
  });

  it("shows nothing while the title has no searchable words", async () => {
    const api = mockApi();
    renderWith(<SimilarQuestions title="How do you?" />);
    await act(() => new Promise((resolve) => setTimeout(resolve, 500)));
    expect(api.calls).toHaveLength(0);
    expect(screen.queryByRole("region")).not.toBeInTheDocument();
  });
});
