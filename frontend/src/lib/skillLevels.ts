import type { GoalStatus, ScoreParts, SkillCategory } from "../api/types";

/** Dreyfus level: 1 novice, 2 advanced beginner, 3 competent, 4 proficient, 5 expert (the API sends a number). */
export type SkillLevel = 1 | 2 | 3 | 4 | 5;

/** The Dreyfus model of skill acquisition, in the API's 1–5 numbering, one plain line each. */
export const LEVELS: readonly { value: SkillLevel; name: string; description: string }[] = [
  { value: 1, name: "Novice", description: "New to it: you follow rules and checklists and need guidance to get things done." },
  {
    value: 2,
    name: "Advanced beginner",
    description: "You handle familiar, everyday tasks on your own, but still need help with unusual ones.",
  },
  {
    value: 3,
    name: "Competent",
    description: "You work independently, plan your approach and take responsibility for the result.",
  },
  {
    value: 4,
    name: "Proficient",
    description: "You see the whole situation, know what matters most and adapt quickly when things change.",
  },
  {
    value: 5,
    name: "Expert",
    description: "You work from deep experience and intuition; others come to you and you shape how it’s done.",
  },
];

export function isLevel(value: number): value is SkillLevel {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

/** "Proficient" for 4; "Level 7" for anything outside the model. */
export function levelName(level: number): string {
  return LEVELS.find((entry) => entry.value === level)?.name ?? `Level ${level}`;
}

/** "Level 4 · Proficient". */
export function levelLabel(level: number): string {
  const name = LEVELS.find((entry) => entry.value === level)?.name;
  return name ? `Level ${level} · ${name}` : `Level ${level}`;
}

export const CATEGORY_LABELS: Record<SkillCategory, string> = {
  languages: "Languages",
  engineering: "Engineering",
  data: "Data",
  "cloud-infrastructure": "Cloud and infrastructure",
  security: "Security",
  design: "Design",
  product: "Product",
  "leadership-people": "Leadership and people",
  facilitation: "Facilitation",
  communication: "Communication",
  "agile-delivery": "Agile delivery",
  "domain-knowledge": "Domain knowledge",
};

export const CATEGORIES = Object.keys(CATEGORY_LABELS) as SkillCategory[];

export function isCategory(value: string | null): value is SkillCategory {
  return value !== null && value in CATEGORY_LABELS;
}

export const GOAL_STATUS_LABELS: Record<GoalStatus, string> = {
  active: "Active",
  achieved: "Achieved",
  dropped: "Dropped",
};

/**
 * The expert score's weights, as the server defines them (domain/skills/model.py): they are only
 * used to explain the parts the API returns in words, never to compute a score.
 */
export const SCORE_WEIGHTS = {
  perLevel: 2,
  endorsementMin: 0.5,
  endorsementMax: 1.5,
  evidenceMultiplier: 1.5,
  perAcceptedAnswer: 1.5,
  perHelpfulReaction: 0.25,
} as const;

/** "12.5", "0.25" or "12" (two decimals at most, in the reader’s locale). */
export function formatPoints(points: number): string {
  return points.toLocaleString(undefined, { maximumFractionDigits: 2 });
}

export function pointsLabel(points: number): string {
  return `${formatPoints(points)} ${points === 1 ? "point" : "points"}`;
}

export interface ScoreLine {
  key: keyof ScoreParts;
  label: string;
  points: number;
  /** Why, in plain words. */
  explanation: string;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** The four parts of an expert's score, each with a sentence saying where its points come from. */
export function scoreLines(
  parts: ScoreParts,
  context: { level: number; endorsementCount: number; skillName: string },
): ScoreLine[] {
  const answers = Math.round(parts.accepted_answers / SCORE_WEIGHTS.perAcceptedAnswer);
  const reactions = Math.round(parts.helpful_reactions / SCORE_WEIGHTS.perHelpfulReaction);
  const { level, endorsementCount, skillName } = context;
  return [
    {
      key: "level",
      label: "Level",
      points: parts.level,
      explanation: `Rates themselves ${levelName(level).toLowerCase()} (level ${level}); each level is worth ${SCORE_WEIGHTS.perLevel} points.`,
    },
    {
      key: "endorsements",
      label: "Endorsements",
      points: parts.endorsements,
      explanation:
        endorsementCount === 0
          ? "No colleague has endorsed them for it yet."
          : `${plural(endorsementCount, "colleague")} vouched for them. Each endorsement is worth ${formatPoints(SCORE_WEIGHTS.endorsementMin)} to ${formatPoints(SCORE_WEIGHTS.endorsementMax)} points — more when the endorser is skilled in ${skillName} — and half as much again when it links to their work.`,
    },
    {
      key: "accepted_answers",
      label: "Accepted answers",
      points: parts.accepted_answers,
      explanation:
        answers === 0
          ? `No accepted answers on questions about ${skillName} that you can see.`
          : `${plural(answers, "answer")} accepted on questions about ${skillName}, ${formatPoints(SCORE_WEIGHTS.perAcceptedAnswer)} points each.`,
    },
    {
      key: "helpful_reactions",
      label: "Helpful reactions",
      points: parts.helpful_reactions,
      explanation:
        reactions === 0
          ? `No “helpful” reactions yet on their posts about ${skillName} that you can see.`
          : `${plural(reactions, "“helpful” reaction")} on their posts and answers about ${skillName}, ${formatPoints(SCORE_WEIGHTS.perHelpfulReaction)} points each.`,
    },
  ];
}
