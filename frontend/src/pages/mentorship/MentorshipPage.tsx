import { useSearchParams } from "react-router";
import { useMe } from "../../auth/queries";
import { ErrorState, LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import * as Tabs from "../../components/Tabs";
import { FindMentor } from "./FindMentor";
import { MentorProfilePanel } from "./MentorProfileForm";
import { MyMentorships } from "./MyMentorships";

const TABS = ["find", "mine", "profile"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = {
  find: "Find a mentor",
  mine: "My mentorships",
  profile: "Mentor profile",
};

/** Find a mentor, follow your mentorships, and offer to mentor; the tab lives in the address. */
export function MentorshipPage() {
  usePageTitle("Mentorship");
  const me = useMe();
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get("tab");
  const tab: Tab = TABS.find((value) => value === requested) ?? "find";

  function selectTab(value: string) {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === "find") next.delete("tab");
        else next.set("tab", value);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  }

  return (
    <div className="page">
      <header className="page__header">
        <h1>Mentorship</h1>
        <p className="page__lead">
          Learn from a colleague who knows the skill, one goal at a time — or offer your time to help someone else grow.
        </p>
      </header>
      {me.isPending ? (
        <LoadingState />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <Tabs.Root value={tab} onValueChange={selectTab} className="tabs">
          <Tabs.List aria-label="Mentorship sections" className="tabs__list">
            {TABS.map((value) => (
              <Tabs.Trigger key={value} value={value} className="tabs__trigger">
                {TAB_LABELS[value]}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          <Tabs.Content value="find" className="tabs__panel">
            <FindMentor />
          </Tabs.Content>
          <Tabs.Content value="mine" className="tabs__panel">
            <MyMentorships myId={me.data.id} />
          </Tabs.Content>
          <Tabs.Content value="profile" className="tabs__panel">
            <MentorProfilePanel me={me.data} />
          </Tabs.Content>
        </Tabs.Root>
      )}
    </div>
  );
}
