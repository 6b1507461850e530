import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, describeError } from "../../api/errors";
import type { Community } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { cx } from "../../lib/cx";
import { formatDate, pluralize } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { CommunityNotFound } from "./CommunityNotFound";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { JOIN_POLICY_LABELS, membershipLabel } from "./labels";
import { LeadershipPanel } from "./LeadershipPanel";
import { MembershipControl } from "./MembershipControl";
import { MembersPanel } from "./MembersPanel";
import { NotifyLevelControl } from "./NotifyLevelControl";
import { ModerationPanel } from "./ModerationPanel";
import { abilitiesFor } from "./permissions";
import { auditQueryOptions, communityQueryOptions, useArchiveCommunity } from "../../queries/communities";
import { HealthPanel } from "./HealthPanel";
import { CommunityPostsPanel } from "../../components/posts/CommunityPostsPanel";
import { canModerate } from "../../queries/posts";
import * as Tabs from "../../components/Tabs";

const TABS = ["posts", "members", "leadership", "health", "moderation"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = {
  posts: "Posts",
  members: "Members",
  leadership: "Leadership",
  health: "Health",
  moderation: "Moderation",
};

export function CommunityPage() {
  const { slug = "" } = useParams();
  const community = useQuery(communityQueryOptions(slug));
  const notFound = community.error instanceof ApiError && community.error.status === 404;
  // Set here, not only in the child pages: a parent's effect runs after its children's.
  usePageTitle(notFound ? "Community not found" : (community.data?.data.name ?? "Community"));

  if (community.isPending) return <LoadingState label="Loading the community…" />;
  if (community.isError) {
    if (notFound) return <CommunityNotFound />;
    return (
      <div className="page page--narrow">
        <ErrorState error={community.error} title="This community didn’t load" onRetry={() => void community.refetch()} />
      </div>
    );
  }
  return <CommunityView key={community.data.data.id} community={community.data.data} />;
}

function CommunityView({ community }: { community: Community }) {
  const { data: me } = useMe();
  const location = useLocation();
  const [searchParams, setSearchParams] = useSearchParams();
  const [notice, setNotice] = useState<string | null>(
    () => (location.state as { notice?: string } | null)?.notice ?? null,
  );
  const abilities = abilitiesFor(community, me);
  // Phones show the name, the membership action and the posts first; the rest opens on demand.
  const [aboutOpen, setAboutOpen] = useState(false);

  // The log decides whether the Moderation tab exists: it is hidden when the API says 403.
  // Nothing inside a private community is read before joining it (an invitation shows only
  // its name and purpose).
  const auditLog = useInfiniteQuery({ ...auditQueryOptions(community.slug), enabled: abilities.canRead });
  const auditForbidden = auditLog.error instanceof ApiError && auditLog.error.status === 403;
  const tabs = TABS.filter((tab) => tab !== "moderation" || !auditForbidden);
  const requested = searchParams.get("tab");
  const tab: Tab = tabs.find((value) => value === requested) ?? "posts";

  function selectTab(value: string) {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === "posts") next.delete("tab");
        else next.set("tab", value);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  }

  return (
    <div className="page community">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/communities">Communities</Link>
      </nav>

      {community.archived_at && (
        <Alert tone="warning" title="This community is archived">
          Since {formatDate(community.archived_at)} it’s read-only: no one can join, post or change it. Its members,
          history and moderation log stay visible.
        </Alert>
      )}
      {notice && <Alert tone="success">{notice}</Alert>}

      <header className="community-hero">
        <div className="community-hero__top">
          <div className="community-hero__title">
            <p className="community-hero__eyebrow">
              Community of practice
              {community.visibility === "private" && <span className="badge badge--neutral">Private</span>}
            </p>
            <h1>{community.name}</h1>
          </div>
          <div className="community-hero__actions">
            <MembershipControl
              community={community}
              onNotice={setNotice}
              onShowMembers={() => {
                selectTab("members");
              }}
            />
            {community.my_membership?.status === "active" && community.my_permissions.includes("set_notify_level") && (
              <NotifyLevelControl community={community} />
            )}
            {abilities.canEdit && (
              <StewardActions community={community} />
            )}
          </div>
        </div>

        <button
          type="button"
          className="community-hero__toggle"
          aria-expanded={aboutOpen}
          aria-controls="community-hero-more"
          onClick={() => {
            setAboutOpen((open) => !open);
          }}
        >
          {aboutOpen ? "Less about this community" : "About this community"}
        </button>
        <div id="community-hero-more" className={cx("community-hero__more", aboutOpen && "community-hero__more--open")}>
        <div className="community-hero__purpose">
          <p className="community-hero__purpose-label">Why we meet</p>
          <p className="community-hero__purpose-text">{community.purpose}</p>
        </div>

        <ul className="community-hero__facts" aria-label="Facts">
          <li>{pluralize(community.member_count, "member")}</li>
          <li>{JOIN_POLICY_LABELS[community.join_policy]}</li>
          {community.steward_term_days !== null && <li>Stewards serve {pluralize(community.steward_term_days, "day")}</li>}
          <li>Started {formatDate(community.created_at)}</li>
          {community.my_membership && (
            <li>
              <span className={community.my_membership.status === "pending" ? "badge badge--warning" : "badge badge--success"}>
                {community.my_membership.status === "pending" ? "Your request is pending" : `You’re a ${membershipLabel(community.my_membership).toLowerCase()}`}
              </span>
            </li>
          )}
        </ul>

        {community.tags.length > 0 && (
          <ul className="badge-list" aria-label="Tags">
            {community.tags.map((tag) => (
              <li key={tag} className="badge">
                {tag}
              </li>
            ))}
          </ul>
        )}
        </div>
      </header>

      {community.description_html.trim() && (
        <section
          aria-labelledby="about-title"
          className={cx("stack stack--sm community-about", aboutOpen && "community-about--open")}
        >
          <h2 id="about-title" className="section-title">
            About
          </h2>
          {/* The server renders the Markdown and sanitizes the HTML (no scripts, handlers or javascript: URLs). */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: community.description_html }} />
        </section>
      )}

      {!abilities.canRead ? (
        <EmptyState title="Posts and members are for members">
          {community.invited
            ? "Accept the invitation to see what the community shares and who belongs to it."
            : "Only members see what this community shares and who belongs to it."}
        </EmptyState>
      ) : (
        <Tabs.Root value={tab} onValueChange={selectTab} className="tabs">
          <Tabs.List aria-label="Community sections" className="tabs__list">
            {tabs.map((value) => (
              <Tabs.Trigger key={value} value={value} className="tabs__trigger">
                {TAB_LABELS[value]}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          <Tabs.Content value="posts" className="tabs__panel">
            <CommunityPostsPanel community={community} />
          </Tabs.Content>
          <Tabs.Content value="members" className="tabs__panel">
            <MembersPanel community={community} abilities={abilities} />
          </Tabs.Content>
          <Tabs.Content value="leadership" className="tabs__panel">
            <LeadershipPanel community={community} abilities={abilities} />
          </Tabs.Content>
          <Tabs.Content value="health" className="tabs__panel">
            <HealthPanel slug={community.slug} />
          </Tabs.Content>
          {!auditForbidden && (
            <Tabs.Content value="moderation" className="tabs__panel">
              <ModerationPanel log={auditLog} reportsFor={canModerate(community) ? community.slug : null} />
            </Tabs.Content>
          )}
        </Tabs.Root>
      )}
    </div>
  );
}

function StewardActions({ community }: { community: Community }) {
  const navigate = useNavigate();
  const [confirmArchive, setConfirmArchive] = useState(false);
  const archive = useArchiveCommunity(community.slug, {
    onSuccess: async () => {
      setConfirmArchive(false);
      await navigate("/communities", {
        state: { notice: `“${community.name}” is archived. It stays readable at its address but no longer appears here.` },
      });
    },
  });

  return (
    <div className="steward-actions">
      <Link className="btn btn--secondary" to={`/communities/${community.slug}/edit`}>
        Edit
      </Link>
      <Link className="btn btn--ghost" to={`/communities/${community.slug}/webhooks`}>
        Webhooks
      </Link>
      <ConfirmDialog
        open={confirmArchive}
        onOpenChange={(open) => {
          setConfirmArchive(open);
          if (!open) archive.reset();
        }}
        trigger={<Button variant="ghost">Archive</Button>}
        title={`Archive ${community.name}?`}
        description="The community becomes read-only and leaves the directory: no one can join, post or change it any more. Members can still read it. This can’t be undone from here."
        confirmLabel="Archive community"
        pendingLabel="Archiving…"
        pending={archive.isPending}
        error={archive.isError && describeError(archive.error)}
        onConfirm={() => {
          archive.mutate();
        }}
      />
    </div>
  );
}
