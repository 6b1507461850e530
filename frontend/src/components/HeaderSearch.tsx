import { useId, useState } from "react";
import { useNavigate } from "react-router";

/** One box in the header for everything: posts, people, skills (by any of their names) and communities. */
export function HeaderSearch({ onSearched }: { onSearched?: () => void }) {
  const id = useId();
  const navigate = useNavigate();
  const [query, setQuery] = useState("");
  return (
    <form
      className="header-search"
      role="search"
      aria-label="Search Leaderful"
      onSubmit={(event) => {
        event.preventDefault();
        const text = query.trim();
        if (!text) return;
        setQuery("");
        onSearched?.();
        void navigate(`/search?q=${encodeURIComponent(text)}`);
      }}
    >
      <label className="visually-hidden" htmlFor={id}>
        Search posts, people, skills and communities
      </label>
      <input
        id={id}
        className="input header-search__input"
        type="search"
        value={query}
        maxLength={200}
        autoComplete="off"
        placeholder="Search…"
        onChange={(event) => {
          setQuery(event.target.value);
        }}
      />
    </form>
  );
}
