import { ApiError, describeError } from "../../api/errors";

export interface ExistingSkill {
  name: string | null;
  slug: string | null;
  /** The server's sentence, shown as is. */
  detail: string;
}

/**
 * A 409 from POST /skills names the skill that has the name already, in its detail:
 * `"Node.js" is already a name of the skill "Node.js" (slug nodejs).` The problem carries no
 * structured field for it, so the slug is read from that sentence.
 */
export function existingSkillFrom(error: unknown): ExistingSkill | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const detail = describeError(error);
  const match = /skill\s+"([^"]+)"\s*\(slug\s+([A-Za-z0-9][A-Za-z0-9-]*)\)/.exec(detail);
  return { name: match?.[1] ?? null, slug: match?.[2] ?? null, detail };
}
