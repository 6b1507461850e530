/** The primary navigation, in order. Features not built yet show a "coming soon" page. */
export interface NavItem {
  to: string;
  label: string;
  /** One line on what the section is for, used by the "coming soon" page. */
  summary: string;
  ready: boolean;
  /** Shown to administrators only. */
  adminOnly?: boolean;
}

export const PRIMARY_NAV: readonly NavItem[] = [
  { to: "/", label: "Home", summary: "Your starting point.", ready: true },
  {
    to: "/communities",
    label: "Communities",
    summary:
      "Communities of practice: groups with a clear purpose where people ask questions, share best practices and resources, and take turns leading.",
    ready: true,
  },
  {
    to: "/skills",
    label: "Skills",
    summary:
      "Skill profiles with levels from novice to expert, endorsements from peers, and learning goals that shape what you see.",
    ready: true,
  },
  {
    to: "/people",
    label: "People",
    summary: "Find colleagues by name or handle, and what they know.",
    ready: true,
  },
  {
    to: "/mentorship",
    label: "Mentorship",
    summary: "Find a mentor for what you want to learn, or offer your time to mentor others.",
    ready: true,
  },
  {
    to: "/insights",
    label: "Insights",
    summary: "Whether leadership is spreading: the leaderful index over time and communities ranked by it.",
    ready: true,
    adminOnly: true,
  },
  {
    to: "/search",
    label: "Search",
    summary: "Search questions, answers and best practices across the communities you can see.",
    ready: true,
  },
];
