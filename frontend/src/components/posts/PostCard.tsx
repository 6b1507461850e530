import type { ReactNode } from "react";
import { Link } from "react-router";
import type { Post } from "../../api/types";
import { excerptOf } from "../../lib/excerpt";
import { formatDate } from "../../lib/format";
import { Avatar } from "../Avatar";
import { PersonName } from "../PersonName";
import { KIND_LABELS, repliesLabel } from "../../lib/postLabels";

/** Kind, and the states that matter at a glance: pinned, locked, answered. */
export function PostBadges({ post }: { post: Post }) {
  return (
    <ul className="badge-list post-badges" aria-label="About this post">
      <li className={`badge kind-badge kind-badge--${post.kind}`}>{KIND_LABELS[post.kind]}</li>
      {post.is_pinned && <li className="badge badge--warning">Pinned</li>}
      {post.is_locked && <li className="badge badge--neutral">Locked</li>}
      {post.kind === "question" && post.accepted_comment_id !== null && (
        <li className="badge badge--success">Answered</li>
      )}
    </ul>
  );
}

export function TagList({ tags, label = "Tags" }: { tags: readonly string[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="badge-list" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag} className="badge badge--neutral">
          #{tag}
        </li>
      ))}
    </ul>
  );
}

function reactionTotal(post: Post): number {
  return post.reactions.like + post.reactions.helpful + post.reactions.insightful;
}

interface PostCardProps {
  post: Post;
  /** Hides the community link where the list is a community's own. */
  showCommunity?: boolean;
  /** Replaces the default excerpt (search shows its highlighted snippet). */
  children?: ReactNode;
  headingLevel?: 2 | 3 | 4;
}

/** One post in a list: the title is the link; everything else is context. */
export function PostCard({ post, showCommunity = true, children, headingLevel = 3 }: PostCardProps) {
  const Heading = (["h2", "h3", "h4"] as const)[headingLevel - 2] ?? "h3";
  const reactions = reactionTotal(post);
  const excerpt = excerptOf(post.body);
  return (
    <li className="post-card">
      <PostBadges post={post} />
      <Heading className="post-card__title">
        <Link to={`/posts/${post.id}`}>{post.title}</Link>
      </Heading>
      <p className="post-card__byline">
        <Avatar name={post.author.display_name} url={post.author.avatar_url} size="sm" />
        <PersonName user={post.author} />
        {showCommunity && (
          <>
            {" in "}
            <Link to={`/communities/${post.community.slug}`}>{post.community.name}</Link>
          </>
        )}
        {" · "}
        <time dateTime={post.created_at}>{formatDate(post.created_at)}</time>
      </p>
      {children ?? (excerpt && <p className="post-card__excerpt">{excerpt}</p>)}
      <TagList tags={post.tags} />
      <p className="post-card__stats">
        <span>{repliesLabel(post.kind, post.comment_count)}</span>
        <span>
          {reactions.toLocaleString()} {reactions === 1 ? "reaction" : "reactions"}
        </span>
      </p>
    </li>
  );
}
