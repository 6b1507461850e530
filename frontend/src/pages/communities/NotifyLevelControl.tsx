import { useId, useState } from "react";
import { describeError } from "../../api/errors";
import type { Community, NotifyLevel } from "../../api/types";
import { useSetNotifyLevel } from "../../queries/communities";

const LEVELS: readonly { value: NotifyLevel; label: string }[] = [
  { value: "all", label: "All new posts" },
  { value: "mentions", label: "Mentions only" },
  { value: "muted", label: "Muted" },
];

/** A member's notification level for the community, saved as soon as it is chosen. */
export function NotifyLevelControl({ community }: { community: Community }) {
  const id = useId();
  const [saved, setSaved] = useState(false);
  const change = useSetNotifyLevel(community, {
    onSuccess: () => {
      setSaved(true);
    },
  });
  const current = change.isPending ? change.variables : (community.my_membership?.notify_level ?? "mentions");
  return (
    <div className="notify-level">
      <label htmlFor={id}>Notify me of</label>
      <select
        id={id}
        className="input input--select"
        value={current}
        aria-describedby={`${id}-status`}
        disabled={community.archived_at !== null}
        onChange={(event) => {
          setSaved(false);
          change.mutate(event.target.value as NotifyLevel);
        }}
      >
        {LEVELS.map((level) => (
          <option key={level.value} value={level.value}>
            {level.label}
          </option>
        ))}
      </select>
      <span id={`${id}-status`} role="status" className={change.isError ? "field__error" : "muted-note"}>
        {change.isError ? describeError(change.error) : saved ? "Saved" : ""}
      </span>
    </div>
  );
}
