import { useInfiniteQuery } from "@tanstack/react-query";
import { AttachmentList } from "../../components/uploads/AttachmentList";
import { ComposerUploads } from "../../components/uploads/ComposerUploads";
import { useComposerUploads } from "../../components/uploads/useComposerUploads";
import { ProseHtml } from "../../components/uploads/ProseHtml";
import { useEffect, useId, useRef, useState, type SubmitEvent } from "react";
import { useLocation } from "react-router";
import { describeError } from "../../api/errors";
import type { Attachment, Community, Post, PostComment } from "../../api/types";
import { Alert } from "../../components/Alert";
import { PersonName } from "../../components/PersonName";
import { Avatar } from "../../components/Avatar";
import { Button } from "../../components/Button";
import { MarkdownEditor } from "../../components/composer/MarkdownEditor";
import { ErrorState, LoadingState } from "../../components/States";
import { cx } from "../../lib/cx";
import { useFormErrors } from "../../lib/formErrors";
import { formatDateTime } from "../../lib/format";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { repliesLabel } from "../../lib/postLabels";
import { BODY_MAX } from "../../components/posts/postForm";
import {
  commentsQueryOptions,
  useAcceptAnswer,
  useCommentReaction,
  useCreateComment,
  useDeleteComment,
  useEditComment,
} from "../../queries/posts";
import { useJoinCommunity } from "../../queries/communities";
import { EndorsePrompt } from "./EndorsePrompt";
import { Reactions } from "./Reactions";
import { ReportDialog } from "./ReportDialog";
import { threadsOf } from "./threads";

/** What the viewer may do in this thread. */
export interface ThreadAbilities {
  meId: string | undefined;
  /** An active member of a writable community: comment, reply, react, report. */
  canParticipate: boolean;
  /** Moderators delete anyone's comments. */
  canModerate: boolean;
  /** The question's author or a moderator. */
  canAccept: boolean;
  /** Why the viewer can't comment, when they can't. */
  participateHint: string;
  /** A public community anyone may join at once: the viewer can join and answer in one click. */
  joinToAnswer: Community | null;
}

export function CommentsSection({ post, abilities }: { post: Post; abilities: ThreadAbilities }) {
  const comments = useInfiniteQuery(commentsQueryOptions(post.id));
  const items = comments.data?.pages.flatMap((page) => page.items) ?? [];
  const threads = threadsOf(items);
  const [notice, setNotice] = useState<string | null>(null);
  const isQuestion = post.kind === "question";
  const target = useAnchoredComment(items, comments);
  // Joined from this page: the answer box opens (and takes focus) before the community reloads.
  const [joined, setJoined] = useState(false);

  return (
    <section className="stack" aria-labelledby="comments-title">
      <h2 id="comments-title" className="section-title">
        {repliesLabel(post.kind, post.comment_count)}
      </h2>
      {notice && <Alert tone="success">{notice}</Alert>}
      {comments.isPending ? (
        <LoadingState label={isQuestion ? "Loading answers…" : "Loading comments…"} />
      ) : comments.isError && items.length === 0 ? (
        <ErrorState
          error={comments.error}
          title={isQuestion ? "Answers didn’t load" : "Comments didn’t load"}
          onRetry={() => void comments.refetch()}
        />
      ) : threads.length === 0 ? (
        <p className="muted-note">{isQuestion ? "No answers yet. Know something that helps?" : "No comments yet."}</p>
      ) : (
        <ol className="comment-list">
          {threads.map((thread) => (
            <li key={thread.comment.id} className="comment-list__thread">
              <CommentItem
                post={post}
                comment={thread.comment}
                abilities={abilities}
                onNotice={setNotice}
                topLevel
                highlighted={thread.comment.id === target}
              />
              {thread.replies.length > 0 && (
                <ol className="comment-list comment-list--replies" aria-label={`Replies to ${thread.comment.author.display_name}`}>
                  {thread.replies.map((reply) => (
                    <li key={reply.id}>
                      <CommentItem
                        post={post}
                        comment={reply}
                        abilities={abilities}
                        onNotice={setNotice}
                        highlighted={reply.id === target}
                      />
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ol>
      )}
      {comments.isFetchNextPageError && <Alert tone="error">More comments didn’t load. Try again.</Alert>}
      {comments.hasNextPage && (
        <div className="load-more">
          <Button variant="secondary" loading={comments.isFetchingNextPage} onClick={() => void comments.fetchNextPage()}>
            {comments.isFetchingNextPage ? "Loading…" : "Show more"}
          </Button>
        </div>
      )}
      {post.is_locked ? (
        <Alert tone="info" title="This post is locked">
          A moderator closed it to new {isQuestion ? "answers" : "comments"}.
        </Alert>
      ) : abilities.canParticipate || joined ? (
        <CommentForm post={post} onPosted={setNotice} focus={joined} />
      ) : abilities.joinToAnswer ? (
        <JoinAndAnswer
          community={abilities.joinToAnswer}
          onJoined={() => {
            setJoined(true);
          }}
        />
      ) : (
        <p className="muted-note">{abilities.participateHint}</p>
      )}
    </section>
  );
}



/** Not a member yet, in a community anyone may join: join it and open the answer box, in one click. */
function JoinAndAnswer({ community, onJoined }: { community: Community; onJoined: () => void }) {
  const join = useJoinCommunity(community, {
    onSuccess: (membership) => {
      if (membership.status === "active") onJoined();
    },
  });
  return (
    <div className="join-to-answer">
      <p className="muted-note">Know the answer? Join {community.name} to share it.</p>
      <Button
        loading={join.isPending}
        onClick={() => {
          join.mutate();
        }}
      >
        {join.isPending ? "Joining…" : "Join and answer"}
      </Button>
      {join.isError && <Alert tone="error">{describeError(join.error)}</Alert>}
    </div>
  );
}

const ANCHOR = "#comment-";

/**
 * The comment the address points at (`#comment-<id>`, as notifications link): once it is loaded
 * (fetching further pages until it is) it is scrolled to, focused and returned for highlighting.
 */
function useAnchoredComment(
  items: PostComment[],
  comments: { hasNextPage: boolean; isFetchingNextPage: boolean; isError: boolean; fetchNextPage: () => Promise<unknown> },
): string | null {
  const { hash } = useLocation();
  const target = hash.startsWith(ANCHOR) ? decodeURIComponent(hash.slice(ANCHOR.length)) : null;
  const found = target !== null && items.some((item) => item.id === target);
  const shown = useRef<string | null>(null);
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = comments;

  useEffect(() => {
    if (target === null || shown.current === hash) return;
    if (!found) {
      if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
      return;
    }
    // After the shell has moved focus to the new page's main landmark.
    const frame = requestAnimationFrame(() => {
      shown.current = hash;
      const element = document.getElementById(`comment-${target}`);
      element?.scrollIntoView({ block: "center" });
      element?.focus({ preventScroll: true });
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [target, hash, found, hasNextPage, isFetchingNextPage, isError, fetchNextPage]);

  return found ? target : null;
}

function CommentForm({
  post,
  parent,
  onPosted,
  onCancel,
  focus = false,
}: {
  post: Post;
  parent?: PostComment;
  onPosted: (notice: string) => void;
  onCancel?: () => void;
  /** Take focus when shown (a reply box, or the answer box right after joining). */
  focus?: boolean;
}) {
  const [body, setBody] = useState("");
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [form, formRef] = useFormErrors(["body", "parent_id", "attachment_ids"]);
  const isQuestion = post.kind === "question";
  const label = parent ? `Reply to ${parent.author.display_name}` : isQuestion ? "Your answer" : "Your comment";
  const bodyId = useId();
  const uploads = useComposerUploads({
    textareaId: bodyId,
    attachments,
    onAttachments: setAttachments,
    onBody: (text) => {
      setBody(text);
      form.clearField("body");
    },
  });

  const create = useCreateComment(post.id, parent?.id ?? null, {
    onSuccess: () => {
      setBody("");
      setAttachments([]);
      form.reset();
      onPosted(parent ? "Your reply is posted." : isQuestion ? "Your answer is posted." : "Your comment is posted.");
    },
    onError: (error) => {
      form.showServerError(error);
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    if (!form.check(body.trim() ? {} : { body: parent ? "Write a reply first." : "Write something first." })) return;
    create.mutate({ body, attachmentIds: attachments.map((attachment) => attachment.id) });
  }

  return (
    <form ref={formRef} className="form comment-form" noValidate onSubmit={handleSubmit} aria-label={label}>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <MarkdownEditor
        id={bodyId}
        label={label}
        rows={parent ? 3 : 5}
        maxLength={BODY_MAX}
        hint={parent ? undefined : "Markdown works. Type @ and a name to mention someone."}
        value={body}
        error={form.errors.fields.body}
        autoFocus={Boolean(parent) || focus}
        onChange={(text) => {
          setBody(text);
          form.clearField("body");
        }}
        textareaProps={uploads.textareaProps}
      />
      <ComposerUploads state={uploads} attachments={attachments} />
      {form.errors.fields.attachment_ids && <p className="field__error">{form.errors.fields.attachment_ids}</p>}
      <div className="form__actions">
        <Button type="submit" loading={create.isPending}>
          {create.isPending ? "Posting…" : parent ? "Post reply" : isQuestion ? "Post answer" : "Post comment"}
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

interface CommentItemProps {
  post: Post;
  comment: PostComment;
  abilities: ThreadAbilities;
  onNotice: (notice: string) => void;
  topLevel?: boolean;
  /** The comment the address points at. */
  highlighted?: boolean;
}

function CommentItem({ post, comment, abilities, onNotice, topLevel = false, highlighted = false }: CommentItemProps) {
  const [replying, setReplying] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const actions = useRef<HTMLDivElement>(null);
  const isMine = comment.author.id === abilities.meId;
  const accepted = post.accepted_comment_id === comment.id;
  const edited = comment.updated_at !== comment.created_at;
  const who = `${topLevel && post.kind === "question" ? "answer" : "comment"} by ${comment.author.display_name}`;

  // After accepting someone else's answer to a tagged question: offer to endorse them for it.
  const [promptEndorse, setPromptEndorse] = useState(false);
  const accept = useAcceptAnswer(post.id, {
    onSuccess: (updated) => {
      onNotice(updated.accepted_comment_id ? `${comment.author.display_name}’s answer is accepted.` : "The answer is no longer accepted.");
      setPromptEndorse(updated.accepted_comment_id === comment.id && !isMine && post.tags.length > 0);
    },
  });

  const remove = useDeleteComment(post.id, comment.id, {
    onSuccess: () => {
      setConfirmDelete(false);
      onNotice(isMine ? "Your comment is deleted." : "The comment is removed. The moderation log records it.");
    },
  });

  const reaction = useCommentReaction(post.id, comment.id);

  const canDelete = isMine || abilities.canModerate;
  const canReply = topLevel && abilities.canParticipate && !post.is_locked;
  const canReport = !isMine && abilities.canParticipate;

  return (
    <article
      id={`comment-${comment.id}`}
      className={cx("comment", accepted && "comment--accepted", highlighted && "comment--highlighted")}
      tabIndex={highlighted ? -1 : undefined}
      aria-label={accepted ? `Accepted ${who}` : who}
    >
      <header className="comment__header">
        <Avatar name={comment.author.display_name} url={comment.author.avatar_url} size="sm" />
        <p className="comment__byline">
          <PersonName user={comment.author} className="comment__author" />{" "}
          <span className="person__handle">@{comment.author.handle}</span>
          {" · "}
          <time dateTime={comment.created_at}>{formatDateTime(comment.created_at)}</time>
          {edited && <span className="comment__edited"> · edited</span>}
        </p>
        {accepted && <span className="badge badge--success">Accepted answer</span>}
      </header>

      {editing ? (
        <EditCommentForm
          comment={comment}
          onDone={(saved) => {
            setEditing(false);
            if (saved) onNotice("Your comment is updated.");
          }}
        />
      ) : (
        <>
          {/* Rendered and sanitized by the server. */}
          <ProseHtml className="prose comment__body" html={comment.body_html} />
          <AttachmentList attachments={comment.attachments} />
        </>
      )}

      {promptEndorse && accepted && (
        <EndorsePrompt
          post={post}
          answer={comment}
          onDone={(notice) => {
            setPromptEndorse(false);
            if (notice) onNotice(notice);
          }}
        />
      )}

      <div className="comment__footer">
        <Reactions
          counts={comment.reactions}
          mine={comment.my_reactions}
          label={`Reactions to ${who}`}
          readOnlyReason={isMine ? "" : abilities.canParticipate ? null : ""}
          toggle={reaction}
        />
        <div className="comment__actions" ref={actions}>
          {abilities.canAccept && topLevel && (
            <Button
              variant={accepted ? "ghost" : "secondary"}
              size="sm"
              loading={accept.isPending}
              onClick={() => {
                accept.mutate(accepted ? null : comment.id);
              }}
            >
              {accepted ? "Unaccept" : "Accept this answer"}
            </Button>
          )}
          {canReply && !replying && (
            <Button
              variant="ghost"
              size="sm"
              data-reply
              aria-label={`Reply to ${comment.author.display_name}`}
              onClick={() => {
                setReplying(true);
              }}
            >
              Reply
            </Button>
          )}
          {isMine && !editing && (
            <Button variant="ghost" size="sm" aria-label={`Edit your ${topLevel && post.kind === "question" ? "answer" : "comment"}`} onClick={() => { setEditing(true); }}>
              Edit
            </Button>
          )}
          {canDelete && (
            <ConfirmDialog
              open={confirmDelete}
              onOpenChange={(open) => {
                setConfirmDelete(open);
                if (!open) remove.reset();
              }}
              trigger={
                <Button variant="ghost" size="sm" aria-label={`Delete ${isMine ? "your comment" : who}`}>
                  Delete
                </Button>
              }
              title={isMine ? "Delete your comment?" : `Remove this ${who}?`}
              description={
                isMine
                  ? "It disappears for everyone. This can’t be undone."
                  : "It disappears for everyone, and the moderation log records that you removed it."
              }
              confirmLabel={isMine ? "Delete comment" : "Remove comment"}
              pendingLabel="Deleting…"
              pending={remove.isPending}
              error={remove.isError && describeError(remove.error)}
              onConfirm={() => {
                remove.mutate();
              }}
            />
          )}
          {canReport && (
            <ReportDialog
              target="comment"
              id={comment.id}
              subject={who}
              onReported={() => {
                onNotice("Thanks for reporting it. The moderators will take a look.");
              }}
            />
          )}
        </div>
      </div>
      {accept.isError && <Alert tone="error">{describeError(accept.error)}</Alert>}

      {replying && (
        <CommentForm
          post={post}
          parent={comment}
          onPosted={(notice) => {
            setReplying(false);
            onNotice(notice);
          }}
          onCancel={() => {
            setReplying(false);
            // Back to the button that opened the form.
            requestAnimationFrame(() => actions.current?.querySelector<HTMLElement>("[data-reply]")?.focus());
          }}
        />
      )}
    </article>
  );
}

function EditCommentForm({ comment, onDone }: { comment: PostComment; onDone: (saved: boolean) => void }) {
  const [body, setBody] = useState(comment.body);
  const [form, formRef] = useFormErrors(["body"]);
  const id = useId();

  useEffect(() => {
    formRef.current?.querySelector("textarea")?.focus();
  }, [formRef]);

  const save = useEditComment(comment, {
    onSuccess: () => {
      onDone(true);
    },
    onError: (error) => {
      form.showServerError(error);
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    if (!form.check(body.trim() ? {} : { body: "A comment can’t be empty." })) return;
    if (body === comment.body) {
      onDone(false);
      return;
    }
    save.mutate(body);
  }

  return (
    <form ref={formRef} className="form comment-form" noValidate onSubmit={handleSubmit} aria-label="Edit comment">
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <MarkdownEditor
        id={`${id}-body`}
        label="Edit your comment"
        rows={4}
        maxLength={BODY_MAX}
        value={body}
        error={form.errors.fields.body}
        onChange={(text) => {
          setBody(text);
          form.clearField("body");
        }}
      />
      <div className="form__actions">
        <Button type="submit" size="sm" loading={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
        <Button variant="secondary" size="sm" onClick={() => { onDone(false); }}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
