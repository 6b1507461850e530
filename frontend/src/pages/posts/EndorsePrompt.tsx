import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { describeError } from "../../api/errors";
import type { Post, PostComment } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { useEndorse } from "../../queries/people";
import { skillQueryOptions } from "../../queries/skills";

/** The name of a tag's skill (the tag itself while it loads). */
function useSkillName(slug: string): string {
  const skill = useQuery(skillQueryOptions(slug));
  return skill.data?.name ?? slug;
}

interface EndorsePromptProps {
  post: Post;
  answer: PostComment;
  onDone: (notice: string | null) => void;
}

/**
 * Right after an answer is accepted: "Endorse Aiko for Kubernetes with this answer?", with the
 * answer as evidence and the question's first tag chosen, so endorsing is one click. A skill the
 * person does not list yet is proposed to them with the endorsement.
 */
export function EndorsePrompt({ post, answer, onDone }: EndorsePromptProps) {
  const id = useId();
  const [slug, setSlug] = useState(post.tags[0] ?? "");
  const skillName = useSkillName(slug);
  const person = answer.author;
  const firstName = person.display_name.split(/\s+/)[0] ?? person.display_name;
  const endorse = useEndorse(person.handle, slug, {
    onSuccess: () => {
      onDone(`You endorsed ${person.display_name} for ${skillName}, with this answer as evidence.`);
    },
  });
  if (!slug) return null;
  const question = `Endorse ${person.display_name} for ${skillName} with this answer?`;

  return (
    <form
      className="endorse-prompt"
      aria-labelledby={`${id}-question`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!endorse.isPending) endorse.mutate({ evidence_post_id: post.id, note: null, propose: true });
      }}
    >
      <p id={`${id}-question`} className="endorse-prompt__question">
        {question}
      </p>
      <p className="endorse-prompt__evidence">
        Evidence: <Link to={`/posts/${post.id}#comment-${answer.id}`}>{firstName}’s accepted answer</Link>.
        {" "}If {firstName} doesn’t list {skillName} yet, it’s proposed to them.
      </p>
      {post.tags.length > 1 && (
        <div className="field endorse-prompt__skill">
          <label className="field__label" htmlFor={`${id}-skill`}>
            Skill
          </label>
          <select
            id={`${id}-skill`}
            className="input"
            value={slug}
            onChange={(event) => {
              setSlug(event.target.value);
              endorse.reset();
            }}
          >
            {post.tags.map((tag) => (
              <TagOption key={tag} slug={tag} />
            ))}
          </select>
        </div>
      )}
      {endorse.isError && <Alert tone="error">{describeError(endorse.error)}</Alert>}
      <div className="button-row button-row--start">
        <Button type="submit" size="sm" loading={endorse.isPending}>
          {endorse.isPending ? "Endorsing…" : `Endorse ${firstName}`}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            onDone(null);
          }}
        >
          Not now
        </Button>
      </div>
    </form>
  );
}

function TagOption({ slug }: { slug: string }) {
  return <option value={slug}>{useSkillName(slug)}</option>;
}
