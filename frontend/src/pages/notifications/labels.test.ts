import { describe, expect, it } from "vitest";
import { aiko, groupedAnswers, inboxItem } from "../../test/notificationFixtures";
import { grace } from "../../test/communityFixtures";
import { actorsPhrase, KIND_LABELS, REASON_LABELS, sentence } from "./labels";

describe("inbox line text", () => {
  it("groups several people: the latest one and how many others", () => {
    expect(sentence(groupedAnswers())).toBe("Aiko Tanaka and 2 others answered: How do we review a data model?");
  });

  it("names both people when exactly two acted", () => {
    expect(actorsPhrase(inboxItem({ actors: [aiko, grace], count: 2 }))).toBe("Aiko Tanaka and Grace Hopper");
  });

  it("counts one person acting several times instead of inventing others", () => {
    expect(sentence(inboxItem({ count: 3 }))).toBe("Aiko Tanaka answered: How do we review a data model? (3 times)");
  });

  it("keeps the server's sentence for one event, and for lines that name nobody", () => {
    expect(sentence(inboxItem())).toBe("Aiko Tanaka answered: How do we review a data model?");
    const item = inboxItem({
      kind: "nominations_open",
      reason: "member",
      actor: null,
      actors: [],
      subject: { type: "community", id: "9a4f1e2d-6c3b-4a5e-8f70-1b2c3d4e5f60", title: "Nominations are open in Data Science", url: "/communities/data-science" },
    });
    expect(sentence(item)).toBe("Nominations are open in Data Science");
  });

  it("has a human name for every kind and every reason", () => {
    for (const label of [...Object.values(KIND_LABELS), ...Object.values(REASON_LABELS)]) expect(label).toMatch(/^[A-Za-z]/);
    expect(REASON_LABELS.asked).toBe("because you asked");
    expect(REASON_LABELS.watching).toBe("you watch this post");
  });
});
