import { useState, type SubmitEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, describeError } from "../../api/errors";
import { Alert } from "../../components/Alert";
import { useFormErrors } from "../../lib/formErrors";
import { usePageTitle } from "../../lib/usePageTitle";
import { CommunityForm } from "./CommunityForm";
import {
  EMPTY_VALUES,
  FIELDS,
  suggestSlug,
  toCreate,
  validate,
  withSettings,
  type FieldName,
  type Values,
} from "./communityForm";
import { useCreateCommunity } from "../../queries/communities";

export function NewCommunityPage() {
  usePageTitle("Start a community");
  const navigate = useNavigate();
  const [values, setValues] = useState<Values>(EMPTY_VALUES);
  const [slugTaken, setSlugTaken] = useState<string | null>(null);
  const [form, formRef] = useFormErrors(FIELDS);
  const mutation = useCreateCommunity({
    onSuccess: async (community) => {
      await navigate(`/communities/${community.slug}`, {
        state: { notice: `“${community.name}” is ready, and you’re its first steward. Invite people or share the link.` },
      });
    },
    onError: (error, body) => {
      if (error instanceof ApiError && error.status === 409) {
        // The address is taken: offer an editable one, and say so next to the field.
        const proposed = body.slug ?? suggestSlug(body.name);
        setValues((current) => ({ ...current, slug: current.slug.trim() || proposed }));
        setSlugTaken(`/communities/${proposed}`);
        form.check({ slug: describeError(error) });
        return;
      }
      form.showServerError(error);
    },
  });

  function handleFieldChange(field: FieldName, value: string) {
    setValues((current) => withSettings(current, { [field]: value }));
    form.clearField(field);
    if (field === "slug") setSlugTaken(null);
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending || !form.check(validate(values, "create"))) return;
    setSlugTaken(null);
    mutation.mutate(toCreate(values));
  }

  return (
    <div className="page page--narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/communities">Communities</Link>
      </nav>
      <header className="page__header">
        <h1>Start a community of practice</h1>
        <p className="page__lead">
          A community of practice is a group of colleagues who share a craft and get better at it together: asking
          questions, sharing what works, and taking turns to lead.
        </p>
      </header>
      <section className="panel" aria-label="New community">
        <CommunityForm
          mode="create"
          values={values}
          onFieldChange={handleFieldChange}
          errors={form.errors}
          formRef={formRef}
          onSubmit={handleSubmit}
          pending={mutation.isPending}
          submitLabel="Create community"
          pendingLabel="Creating community…"
          cancelTo="/communities"
          before={
            slugTaken && (
              <Alert tone="error" title="That web address is taken">
                Another community already uses <code>{slugTaken}</code>. Choose a different web address below and create
                the community again.
              </Alert>
            )
          }
        />
      </section>
    </div>
  );
}
