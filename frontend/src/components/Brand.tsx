import { Link } from "react-router";

/** The product mark: three overlapping circles, people leading together. */
export function BrandMark() {
  return (
    <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <circle cx="11" cy="13" r="7" fill="currentColor" opacity="0.55" />
      <circle cx="21" cy="13" r="7" fill="currentColor" opacity="0.75" />
      <circle cx="16" cy="21" r="7" fill="currentColor" />
    </svg>
  );
}

export function Brand({ to = "/" }: { to?: string }) {
  return (
    <Link to={to} className="brand">
      <BrandMark />
      <span className="brand__name">Leaderful</span>
    </Link>
  );
}
