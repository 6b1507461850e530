import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { similarQuestionsQueryOptions } from "../../queries/posts";

const TYPING_PAUSE_MS = 400;

/**
 * Questions like the one being titled, found while the asker types (after a pause, never in
 * the way of typing): perhaps it has been answered already. Shows up to five links; nothing at
 * all when there are none or the search fails.
 */
export function SimilarQuestions({ title }: { title: string }) {
  const settled = useDebouncedValue(title, TYPING_PAUSE_MS);
  const similar = useQuery(similarQuestionsQueryOptions(settled));
  const hits = title.trim() === "" ? [] : (similar.data?.items ?? []).slice(0, 5);
  return (
    <div aria-live="polite">
      {hits.length > 0 && (
        <section className="similar-questions" aria-labelledby="similar-questions-title">
          <h3 id="similar-questions-title" className="similar-questions__title">
            Similar questions, perhaps already answered
          </h3>
          <ul className="similar-questions__list">
            {hits.map((hit) => (
              <li key={hit.id}>
                <Link to={`/posts/${hit.id}`}>{hit.title}</Link>{" "}
                <span className="similar-questions__meta">
                  in {hit.community.name}
                  {hit.accepted_comment_id ? " · answered" : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
