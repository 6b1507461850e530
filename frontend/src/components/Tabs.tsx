/**
 * Tabs following the WAI-ARIA tabs pattern, with the same parts and attributes as Radix Tabs
 * (Root / List / Trigger / Content, `value` / `onValueChange`, `data-state`), so the project can
 * switch to `@radix-ui/react-tabs` by changing the import once that package is a dependency.
 *
 * Keyboard: Left/Right arrows move between tabs (wrapping), Home/End jump to the ends; a tab is
 * activated when it receives focus. Only the active tab is in the Tab order, and the active panel
 * follows it.
 */
import { createContext, useContext, useId, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "../lib/cx";

interface TabsContextValue {
  baseId: string;
  value: string;
  onValueChange: (value: string) => void;
}

const TabsContext = createContext<TabsContextValue | null>(null);

function useTabs(): TabsContextValue {
  const context = useContext(TabsContext);
  if (context === null) throw new Error("Tabs parts must be used inside <Root>");
  return context;
}

const idFor = (baseId: string, part: "trigger" | "content", value: string) => `${baseId}-${part}-${value}`;

export function Root({
  value,
  onValueChange,
  className,
  children,
}: {
  value: string;
  onValueChange: (value: string) => void;
  className?: string;
  children: ReactNode;
}) {
  const baseId = useId();
  return (
    <TabsContext.Provider value={{ baseId, value, onValueChange }}>
      <div className={className}>{children}</div>
    </TabsContext.Provider>
  );
}

export function List({ className, children, ...aria }: { className?: string; children: ReactNode; "aria-label": string }) {
  const { onValueChange } = useTabs();

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const tabs = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('[role="tab"]:not(:disabled)'));
    const current = tabs.findIndex((tab) => tab === document.activeElement);
    if (current === -1) return;
    let next: number;
    if (event.key === "ArrowRight") next = (current + 1) % tabs.length;
    else if (event.key === "ArrowLeft") next = (current - 1 + tabs.length) % tabs.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = tabs.length - 1;
    else return;
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    tab.focus();
    const value = tab.dataset.value;
    if (value !== undefined) onValueChange(value);
  }

  return (
    <div role="tablist" aria-orientation="horizontal" className={className} onKeyDown={handleKeyDown} {...aria}>
      {children}
    </div>
  );
}

export function Trigger({ value, className, children }: { value: string; className?: string; children: ReactNode }) {
  const tabs = useTabs();
  const selected = tabs.value === value;
  return (
    <button
      type="button"
      role="tab"
      id={idFor(tabs.baseId, "trigger", value)}
      aria-selected={selected}
      aria-controls={idFor(tabs.baseId, "content", value)}
      tabIndex={selected ? 0 : -1}
      data-state={selected ? "active" : "inactive"}
      data-value={value}
      className={className}
      onClick={() => {
        tabs.onValueChange(value);
      }}
    >
      {children}
    </button>
  );
}

/** Rendered only while active (like Radix without `forceMount`). */
export function Content({ value, className, children }: { value: string; className?: string; children: ReactNode }) {
  const tabs = useTabs();
  if (tabs.value !== value) return null;
  return (
    <div
      role="tabpanel"
      id={idFor(tabs.baseId, "content", value)}
      aria-labelledby={idFor(tabs.baseId, "trigger", value)}
      tabIndex={0}
      data-state="active"
      className={cx(className)}
    >
      {children}
    </div>
  );
}
