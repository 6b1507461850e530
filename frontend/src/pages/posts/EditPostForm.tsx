import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { ApiError } from "../../api/errors";
import type { Post, PostUpdate } from "../../api/types";
import type { Versioned } from "../../api/client";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { useFormErrors } from "../../lib/formErrors";
import { formatDateTime } from "../../lib/format";
import { KIND_LABELS } from "../../lib/postLabels";
import { PostFields } from "../../components/posts/PostFields";
import { POST_FIELDS, postChanges, validatePost, valuesOfPost, type PostValues } from "../../components/posts/postForm";
import { postQueryOptions, useEditPost } from "../../queries/posts";
import { TagList } from "../../components/posts/PostCard";

/** One save: what was sent, on top of which version, and the form as it was. */
interface Attempt {
  changes: PostUpdate;
  etag: string | null;
  base: PostValues;
  mine: PostValues;
}

const KEYS = ["kind", "title", "body", "tags", "links", "attachments"] as const satisfies readonly (keyof PostValues)[];

/** Fields the user left alone take the newer version's values; the user's own edits are kept. */
function merge(base: PostValues, mine: PostValues, theirs: PostValues): PostValues {
  const merged = { ...mine };
  for (const key of KEYS) {
    if (JSON.stringify(mine[key]) === JSON.stringify(base[key])) Object.assign(merged, { [key]: theirs[key] });
  }
  return merged;
}

interface EditPostFormProps {
  initial: Versioned<Post>;
  onDone: (saved: boolean) => void;
}

/**
 * The author's edit form. Saves send `If-Match`; when someone changed the post meanwhile (a
 * moderator pinned it, an answer was accepted) the server answers 412 and the form shows the
 * newer version, keeps the user's edits and saves again on top of the new ETag.
 */
export function EditPostForm({ initial, onDone }: EditPostFormProps) {
  const queryClient = useQueryClient();
  const postId = initial.data.id;
  const [base, setBase] = useState(() => ({ values: valuesOfPost(initial.data), etag: initial.etag }));
  const [values, setValues] = useState<PostValues>(base.values);
  const [conflict, setConflict] = useState<Post | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loadingNewer, setLoadingNewer] = useState(false);
  const [form, formRef] = useFormErrors(POST_FIELDS);
  const conflictHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (conflict) conflictHeading.current?.focus();
  }, [conflict]);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>("input[type=radio]:checked")?.focus();
  }, [formRef]);

  async function showNewerVersion(attempt: Attempt) {
    setLoadingNewer(true);
    try {
      const newer = await queryClient.query({ ...postQueryOptions(postId), staleTime: 0 });
      const theirs = valuesOfPost(newer.data);
      setBase({ values: theirs, etag: newer.etag });
      setValues(merge(attempt.base, attempt.mine, theirs));
      setConflict(newer.data);
    } catch (error) {
      form.showServerError(error);
    } finally {
      setLoadingNewer(false);
    }
  }

  const save = useEditPost<Attempt>(postId, {
    onSuccess: () => {
      onDone(true);
    },
    onError: (error, attempt) => {
      if (error instanceof ApiError && error.status === 412) {
        void showNewerVersion(attempt);
        return;
      }
      form.showServerError(error);
    },
  });

  function change(changes: Partial<PostValues>, field: keyof PostValues) {
    setValues((current) => ({ ...current, ...changes }));
    form.clearField(field);
    setNotice(null);
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending || loadingNewer || !form.check(validatePost(values))) return;
    const changes = postChanges(base.values, values);
    if (Object.keys(changes).length === 0) {
      setConflict(null);
      setNotice("Nothing to save: the post already reads like this.");
      return;
    }
    setNotice(null);
    setConflict(null);
    save.mutate({ changes, etag: base.etag, base: base.values, mine: values });
  }

  const pending = save.isPending || loadingNewer;

  return (
    <form ref={formRef} className="form" noValidate onSubmit={handleSubmit} aria-label="Edit post">
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {notice && <Alert tone="info">{notice}</Alert>}
      {conflict && (
        <section className="conflict" aria-labelledby="post-conflict-title">
          <h2 id="post-conflict-title" className="conflict__title" ref={conflictHeading} tabIndex={-1}>
            Someone changed this post meanwhile
          </h2>
          <p>
            Your changes weren’t saved, so nothing was overwritten. This is the latest version, from{" "}
            {formatDateTime(conflict.updated_at)}:
          </p>
          <div className="conflict__newer">
            <p className="conflict__value">
              <strong>{conflict.title}</strong> <span className="badge badge--neutral">{KIND_LABELS[conflict.kind]}</span>
              {conflict.is_pinned && <span className="badge badge--warning">Pinned</span>}
              {conflict.is_locked && <span className="badge badge--neutral">Locked</span>}
            </p>
            <TagList tags={conflict.tags} label="Tags in the latest version" />
            <div className="prose" dangerouslySetInnerHTML={{ __html: conflict.body_html }} />
          </div>
          <p>Fields you hadn’t touched now show the latest values; your own edits are kept. Review them, then save again.</p>
          <div className="form__actions">
            <Button type="submit" loading={save.isPending}>
              Save my changes again
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setValues(base.values);
                setConflict(null);
                form.reset();
                setNotice("Your edits are discarded; the form shows the latest version.");
              }}
            >
              Discard my changes
            </Button>
          </div>
        </section>
      )}
      <PostFields values={values} errors={form.errors} onChange={change} />
      <div className="form__actions">
        <Button type="submit" loading={pending}>
          {loadingNewer ? "Loading the latest version…" : save.isPending ? "Saving…" : "Save changes"}
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            onDone(false);
          }}
        >
          Cancel
        </Button>
      </div>
    </form>
  );
}
