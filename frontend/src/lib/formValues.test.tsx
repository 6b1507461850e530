import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState, type SubmitEvent } from "react";
import { describe, expect, it } from "vitest";
import { useFormErrors } from "./formErrors";
import { useFormValues } from "./formValues";

const FIELDS = ["title", "minutes"] as const;

function SessionForm() {
  const [form, formRef] = useFormErrors(FIELDS);
  const [saved, setSaved] = useState(false);
  const [values, set] = useFormValues({ title: "", minutes: "30" }, form.clearField, () => {
    setSaved(false);
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.title) found.title = "Give it a title.";
    if (!values.minutes) found.minutes = "Say how long.";
    setSaved(form.check(found));
  }

  return (
    <form ref={formRef} onSubmit={handleSubmit} noValidate>
      <label>
        Title
        <input
          value={values.title}
          aria-invalid={Boolean(form.errors.fields.title)}
          onChange={(event) => {
            set("title", event.target.value);
          }}
        />
      </label>
      <p>{form.errors.fields.title}</p>
      <label>
        Minutes
        <input
          value={values.minutes}
          aria-invalid={Boolean(form.errors.fields.minutes)}
          onChange={(event) => {
            set("minutes", event.target.value);
          }}
        />
      </label>
      <p>{form.errors.fields.minutes}</p>
      <button type="submit">Save</button>
      {saved && <p role="status">Saved</p>}
    </form>
  );
}

describe("useFormValues", () => {
  it("clears only the edited field's error", async () => {
    const user = userEvent.setup();
    render(<SessionForm />);
    await user.clear(screen.getByLabelText("Minutes"));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByText("Give it a title.")).toBeInTheDocument();
    expect(screen.getByText("Say how long.")).toBeInTheDocument();

    await user.type(screen.getByLabelText("Title"), "Pairing");
    expect(screen.queryByText("Give it a title.")).not.toBeInTheDocument();
    expect(screen.getByText("Say how long.")).toBeInTheDocument();
    expect(screen.getByLabelText("Title")).toHaveValue("Pairing");
  });

  it("hides the saved notice once the form is edited again", async () => {
    const user = userEvent.setup();
    render(<SessionForm />);
    await user.type(screen.getByLabelText("Title"), "Pairing");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByRole("status")).toHaveTextContent("Saved");

    await user.type(screen.getByLabelText("Minutes"), "5");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Minutes")).toHaveValue("305");
  });
});
