import { useState, type SubmitEvent } from "react";
import type { Community, Post, PostKind } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { useFormErrors } from "../../lib/formErrors";
import { PostFields } from "./PostFields";
import {
  POST_FIELDS,
  POST_FIELD_ALIASES,
  emptyPostValues,
  isBlankPost,
  isPostValues,
  toPostCreate,
  validatePost,
  type PostValues,
} from "./postForm";
import { useCreatePost } from "../../queries/posts";
import { useDraft } from "../../lib/useDraft";

const SUBMIT_LABELS: Record<PostKind, string> = {
  question: "Post question",
  best_practice: "Share best practice",
  resource: "Share resource",
  discussion: "Start discussion",
};

interface PostComposerProps {
  /** Where the post may go; preselected when there is only one. */
  communities: readonly Community[];
  /** On a community's own page: no choice to make, the form just says where the post goes. */
  fixed?: boolean;
  initialKind?: PostKind;
  onPosted: (post: Post) => void;
  onCancel?: () => void;
}

/** Ask a question or share a practice, a resource or a discussion with one community. */
export function PostComposer({ communities, fixed: isFixed = false, initialKind = "question", onPosted, onCancel }: PostComposerProps) {
  const [slug, setSlug] = useState(() => (communities.length === 1 ? (communities[0]?.slug ?? "") : ""));
  // Kept in this browser while typed: leaving the page does not lose a question.
  const draft = useDraft(
    `post:${isFixed ? slug : "any"}`,
    () => emptyPostValues(initialKind),
    isBlankPost,
    isPostValues,
  );
  const values = draft.values;
  const [form, formRef] = useFormErrors(POST_FIELDS, POST_FIELD_ALIASES);
  const fixed = isFixed ? communities.find((community) => community.slug === slug) : undefined;

  const mutation = useCreatePost({
    onSuccess: (post) => {
      draft.clear(emptyPostValues(post.kind));
      form.reset();
      onPosted(post);
    },
    onError: (error) => {
      form.showServerError(error);
    },
  });

  function change(changes: Partial<PostValues>, field: keyof PostValues) {
    draft.setValues((current) => ({ ...current, ...changes }));
    form.clearField(field);
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found = validatePost(values);
    if (!slug) Object.assign(found, { community: "Choose the community to post in." });
    if (!form.check(found)) return;
    mutation.mutate({ community: slug, body: toPostCreate(values) });
  }

  return (
    <form ref={formRef} className="form composer" noValidate onSubmit={handleSubmit} aria-label="New post">
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {draft.restored && (
        <p className="composer__draft" role="status">
          Your draft is back, as you left it.{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              draft.clear(emptyPostValues(initialKind));
            }}
          >
            Discard draft
          </button>
        </p>
      )}
      {fixed ? (
        <p className="composer__where">
          Posting in <strong>{fixed.name}</strong>
        </p>
      ) : (
        <SelectField
          label="Community"
          hint="Only the communities you’re a member of."
          value={slug}
          error={form.errors.fields.community}
          onChange={(event) => {
            setSlug(event.target.value);
            form.clearField("community");
          }}
        >
          <option value="">Choose a community…</option>
          {communities.map((community) => (
            <option key={community.slug} value={community.slug}>
              {community.name}
            </option>
          ))}
        </SelectField>
      )}
      <PostFields values={values} errors={form.errors} onChange={change} suggestSimilar />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Posting…" : SUBMIT_LABELS[values.kind]}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
