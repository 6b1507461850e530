import { describe, expect, it } from "vitest";
import { applyFormat, insertMention, mentionAt } from "./markdownEdit";

function apply(format: Parameters<typeof applyFormat>[0], marked: string) {
  // "[" and "]" mark the selection in these examples.
  const start = marked.indexOf("[");
  const end = marked.indexOf("]") - 1;
  const text = marked.replace("[", "").replace("]", "");
  const edit = applyFormat(format, text, start, end);
  return `${edit.text.slice(0, edit.start)}[${edit.text.slice(edit.start, edit.end)}]${edit.text.slice(edit.end)}`;
}

describe("toolbar edits", () => {
  it("wraps the selection, or a selected placeholder", () => {
    expect(apply("bold", "make [this] loud")).toBe("make **[this]** loud");
    expect(apply("italic", "an []")).toBe("an _[italic text]_");
  });

  it("makes a link whose address is selected to type over", () => {
    expect(apply("link", "see [the docs]")).toBe("see [the docs]([https://])");
  });

  it("uses inline code within a line and a fenced block across lines", () => {
    expect(apply("code", "run [make test]")).toBe("run `[make test]`");
    expect(apply("code", "x\n[a\nb]")).toBe("x\n```\n[a\nb]\n```\n");
  });

  it("turns every selected line into a list item or a quote", () => {
    expect(apply("list", "[one\ntwo]")).toBe("[- one\n- two]");
    expect(apply("quote", "intro\nsaid [so]")).toBe("intro\n[> said so]");
  });
});

describe("mentions", () => {
  it("finds the @handle being typed, not e-mail addresses", () => {
    expect(mentionAt("ask @an", 7)).toEqual({ start: 4, query: "an" });
    expect(mentionAt("@a", 2)).toEqual({ start: 0, query: "a" });
    expect(mentionAt("mail ann@ex", 11)).toBeNull();
    expect(mentionAt("just @", 6)).toBeNull();
    expect(mentionAt("@ann done", 9)).toBeNull();
  });

  it("replaces the typed letters with the chosen handle and a space", () => {
    const mention = { start: 4, query: "an" };
    expect(insertMention("ask @an please", 7, mention, "ann-lee")).toEqual({
      text: "ask @ann-lee please",
      start: 13,
      end: 13,
    });
  });
});
