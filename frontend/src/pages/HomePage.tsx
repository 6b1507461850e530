import { Link } from "react-router";
import { useMe } from "../auth/queries";
import { ErrorState, LoadingState } from "../components/States";
import { usePageTitle } from "../lib/usePageTitle";

const PILLARS = [
  {
    to: "/communities",
    title: "Communities of practice",
    text: "Groups with a clear purpose, where people ask questions, share best practices and resources, and take turns stewarding.",
  },
  {
    to: "/skills",
    title: "Skills",
    text: "Say what you know, from novice to expert. Endorsements and accepted answers make expertise visible, so the right people find each other.",
  },
  {
    to: "/mentorship",
    title: "Mentorship",
    text: "Set learning goals and get matched with colleagues who have the skills and the time to help. Or offer your own.",
  },
] as const;

export function HomePage() {
  usePageTitle("Home");
  const me = useMe();

  if (me.isPending) return <LoadingState label="Loading your home page…" />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;

  const firstName = me.data.display_name.split(/\s+/)[0] ?? me.data.display_name;
  const profileStarted = Boolean(me.data.title) || Boolean(me.data.bio);

  return (
    <div className="page">
      <section className="welcome" aria-labelledby="welcome-title">
        <p className="welcome__eyebrow">Welcome to Leaderful</p>
        <h1 id="welcome-title" className="welcome__title">
          Hello, {firstName}. Everyone here can lead.
        </h1>
        <p className="welcome__lead">
          Leaderful is where colleagues learn from each other. Leadership isn’t a job title: you lead whenever you
          answer a question, share a practice that works, steward a community or mentor someone.
        </p>
      </section>

      <section aria-labelledby="pillars-title" className="stack">
        <h2 id="pillars-title">How it works</h2>
        <ul className="card-grid">
          {PILLARS.map((pillar) => (
            <li key={pillar.to} className="card">
              <h3 className="card__title">{pillar.title}</h3>
              <p className="card__text">{pillar.text}</p>
              <Link className="card__link" to={pillar.to}>
                Explore {pillar.title.toLowerCase()}
                <span aria-hidden="true"> →</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="start-title" className="panel">
        <h2 id="start-title">Get started</h2>
        <ol className="checklist">
          <li className={profileStarted ? "checklist__item checklist__item--done" : "checklist__item"}>
            <span className="checklist__status">{profileStarted ? "Done" : "To do"}</span>
            <span>
              <Link to="/settings">Tell people about yourself</Link> — a title and a short bio help colleagues know
              what to ask you.
            </span>
          </li>
          <li className="checklist__item">
            <span className="checklist__status">Soon</span>
            <span>Join a community of practice that matches what you work on.</span>
          </li>
          <li className="checklist__item">
            <span className="checklist__status">Soon</span>
            <span>Add your skills and a learning goal, so Leaderful can suggest mentors.</span>
          </li>
        </ol>
      </section>
    </div>
  );
}
