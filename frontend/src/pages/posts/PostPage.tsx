import { useQuery } from "@tanstack/react-query";
import { AttachmentList } from "../../components/uploads/AttachmentList";
import { ProseHtml } from "../../components/uploads/ProseHtml";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, describeError } from "../../api/errors";
import type { Community, Post } from "../../api/types";
import type { Versioned } from "../../api/client";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { PersonName } from "../../components/PersonName";
import { Avatar } from "../../components/Avatar";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { communityQueryOptions } from "../../queries/communities";
import { CommentsSection, type ThreadAbilities } from "./Comments";
import { EditPostForm } from "./EditPostForm";
import { PostBadges, TagList } from "../../components/posts/PostCard";
import { canModerate, postQueryOptions, useDeletePost, useModeratePost, usePostReaction } from "../../queries/posts";
import { Reactions } from "./Reactions";
import { ReportDialog } from "./ReportDialog";
import { NudgeCallout } from "./NudgeCallout";
import { WatchButton } from "./WatchButton";

export function PostPage() {
  const { id = "" } = useParams();
  const post = useQuery(postQueryOptions(id));
  const notFound = post.error instanceof ApiError && (post.error.status === 404 || post.error.status === 422);
  usePageTitle(notFound ? "Post not found" : (post.data?.data.title ?? "Post"));

  if (post.isPending) return <LoadingState label="Loading the post…" />;
  if (post.isError) {
    if (notFound) return <PostNotFound />;
    return (
      <div className="page page--narrow">
        <ErrorState error={post.error} title="This post didn’t load" onRetry={() => void post.refetch()} />
      </div>
    );
  }
  return <PostView key={post.data.data.id} versioned={post.data} />;
}

function PostNotFound() {
  return (
    <div className="page page--narrow">
      <div className="notice-page">
        <p className="notice-page__eyebrow">404</p>
        <h1>Post not found</h1>
        <p className="notice-page__text">
          This post doesn’t exist, was deleted, or is in a community you can’t see. The link may be out of date.
        </p>
        <div className="button-row">
          <Link className="btn btn--primary" to="/">
            Back to your feed
          </Link>
          <Link className="btn btn--secondary" to="/search">
            Search posts
          </Link>
        </div>
      </div>
    </div>
  );
}

/** The host of an http(s) address; null for anything else (never rendered as a link). */
function webHost(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.host : null;
  } catch {
    return null;
  }
}

function abilitiesIn(community: Community | undefined, post: Post, meId: string | undefined): ThreadAbilities & { isAuthor: boolean } {
  const writable = community?.archived_at === null;
  const member = community?.my_permissions.includes("post") ?? false;
  const moderator = canModerate(community);
  const isAuthor = post.author.id === meId;
  let participateHint = "";
  if (community?.archived_at) participateHint = "This community is archived, so its posts are read-only.";
  else if (!member) participateHint = `Join ${post.community.name} to answer, comment and react.`;
  const joinToAnswer =
    community &&
    writable &&
    !member &&
    !isAuthor &&
    post.kind === "question" &&
    community.visibility === "public" &&
    community.join_policy === "open" &&
    community.my_membership === null
      ? community
      : null;
  return {
    joinToAnswer,
    meId,
    isAuthor,
    canParticipate: writable && member,
    canModerate: moderator,
    canAccept: writable && post.kind === "question" && (isAuthor || moderator),
    participateHint,
  };
}

function PostView({ versioned }: { versioned: Versioned<Post> }) {
  const post = versioned.data;
  const { data: me } = useMe();
  const navigate = useNavigate();
  // The community says what the viewer may do here (`my_permissions`).
  const community = useQuery(communityQueryOptions(post.community.slug));
  const abilities = abilitiesIn(community.data?.data, post, me?.id);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const [returnFocus, setReturnFocus] = useState(0);

  useEffect(() => {
    if (returnFocus > 0) heading.current?.focus();
  }, [returnFocus]);

  const moderate = useModeratePost(post.id, {
    onSuccess: (_updated, changes) => {
      if (changes.is_pinned !== undefined) setNotice(changes.is_pinned ? "The post is pinned to the top of the community." : "The post is unpinned.");
      if (changes.is_locked !== undefined) setNotice(changes.is_locked ? "The post is locked: no new comments." : "The post is unlocked.");
    },
  });

  const remove = useDeletePost(post, {
    onSuccess: async () => {
      setConfirmDelete(false);
      await navigate(`/communities/${post.community.slug}`, {
        state: {
          notice: abilities.isAuthor ? "Your post is deleted." : `“${post.title}” is removed. The moderation log records it.`,
        },
      });
    },
  });

  const reaction = usePostReaction(post.id);

  const readOnlyReason = abilities.isAuthor
    ? "You can’t react to your own post."
    : abilities.canParticipate
      ? null
      : abilities.participateHint;
  const canDelete = abilities.isAuthor || abilities.canModerate;
  const edited = post.updated_at !== post.created_at;

  return (
    <div className="page page--narrow post-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/communities">Communities</Link>
        <span aria-hidden="true"> / </span>
        <Link to={`/communities/${post.community.slug}`}>{post.community.name}</Link>
      </nav>

      {notice && <Alert tone="success">{notice}</Alert>}
      {community.isError && (
        <Alert tone="warning">
          We couldn’t check what you may do in {post.community.name}, so answering and reacting are off for now.{" "}
          <Button variant="ghost" size="sm" onClick={() => void community.refetch()}>
            Try again
          </Button>
        </Alert>
      )}

      {editing ? (
        <section className="panel" aria-labelledby="edit-post-title">
          <h1 id="edit-post-title">Edit post</h1>
          <EditPostForm
            initial={versioned}
            onDone={(saved) => {
              setEditing(false);
              if (saved) setNotice("Your changes are saved.");
              setReturnFocus((n) => n + 1);
            }}
          />
        </section>
      ) : (
        <article className="post" aria-labelledby="post-title">
          <header className="post__header">
            <PostBadges post={post} />
            <h1 id="post-title" className="post__title" ref={heading} tabIndex={-1}>
              {post.title}
            </h1>
            <div className="post__byline">
              <Avatar name={post.author.display_name} url={post.author.avatar_url} size="sm" />
              <p>
                <PersonName user={post.author} className="post__author" />{" "}
                <span className="person__handle">@{post.author.handle}</span>
                {" in "}
                <Link to={`/communities/${post.community.slug}`}>{post.community.name}</Link>
                {" · "}
                <time dateTime={post.created_at}>{formatDateTime(post.created_at)}</time>
                {edited && <span> · edited</span>}
              </p>
            </div>
            <TagList tags={post.tags} />
          </header>

          {post.nudge && <NudgeCallout postId={post.id} nudge={post.nudge} />}

          {post.kind === "question" && post.accepted_comment_id && (
            <p className="post__answered">
              <a href={`#comment-${post.accepted_comment_id}`}>Go to the accepted answer</a>
            </p>
          )}

          {/* Rendered from Markdown and sanitized by the server. */}
          {post.body_html.trim() && <ProseHtml className="prose post__body" html={post.body_html} />}
          <AttachmentList attachments={post.attachments} />

          {post.links.length > 0 && (
            <section className="post__links" aria-labelledby="post-links-title">
              <h2 id="post-links-title" className="section-title">
                Links
              </h2>
              <ul>
                {post.links.map((link) => {
                  const host = webHost(link.url);
                  return (
                    <li key={link.url}>
                      {host === null ? (
                        <span>{link.title ?? link.url}</span>
                      ) : (
                        <>
                          <a href={link.url} target="_blank" rel="noopener noreferrer nofollow">
                            {link.title ?? link.url}
                            <span className="visually-hidden"> (opens in a new tab)</span>
                          </a>
                          {link.title && <span className="post__link-url">{host}</span>}
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          )}

          <Reactions
            counts={post.reactions}
            mine={post.my_reactions}
            readOnlyReason={readOnlyReason}
            label="Reactions to this post"
            toggle={reaction}
          />

          <div className="post__actions" role="group" aria-label="Post actions">
            <WatchButton postId={post.id} />
            {abilities.isAuthor && !community.data?.data.archived_at && (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setNotice(null);
                  setEditing(true);
                }}
              >
                Edit
              </Button>
            )}
            {abilities.canModerate && (
              <>
                <Button
                  variant="secondary"
                  size="sm"
                  loading={moderate.isPending && moderate.variables.is_pinned !== undefined}
                  onClick={() => {
                    moderate.mutate({ is_pinned: !post.is_pinned });
                  }}
                >
                  {post.is_pinned ? "Unpin" : "Pin"}
                </Button>
                <Button
                  variant="secondary"
                  size="sm"
                  loading={moderate.isPending && moderate.variables.is_locked !== undefined}
                  onClick={() => {
                    moderate.mutate({ is_locked: !post.is_locked });
                  }}
                >
                  {post.is_locked ? "Unlock" : "Lock"}
                </Button>
              </>
            )}
            {canDelete && (
              <ConfirmDialog
                open={confirmDelete}
                onOpenChange={(open) => {
                  setConfirmDelete(open);
                  if (!open) remove.reset();
                }}
                trigger={
                  <Button variant="ghost" size="sm">
                    Delete
                  </Button>
                }
                title={abilities.isAuthor ? "Delete your post?" : "Remove this post?"}
                description={
                  abilities.isAuthor
                    ? "It disappears for everyone, with its answers and comments. This can’t be undone."
                    : "It disappears for everyone, and the moderation log records that you removed it."
                }
                confirmLabel={abilities.isAuthor ? "Delete post" : "Remove post"}
                pendingLabel="Deleting…"
                pending={remove.isPending}
                error={remove.isError && describeError(remove.error)}
                onConfirm={() => {
                  remove.mutate();
                }}
              />
            )}
            {!abilities.isAuthor && abilities.canParticipate && (
              <ReportDialog
                target="post"
                id={post.id}
                subject="this post"
                onReported={() => {
                  setNotice("Thanks for reporting it. The moderators will take a look.");
                }}
              />
            )}
          </div>
          {moderate.isError && <Alert tone="error">{describeError(moderate.error)}</Alert>}
        </article>
      )}

      <CommentsSection post={post} abilities={abilities} />
    </div>
  );
}
