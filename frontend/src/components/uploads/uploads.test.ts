import { describe, expect, it } from "vitest";
import { deferUploadImages, formatBytes, insertAt, markdownFor } from "./uploads";

const ID = "0b6f7c1e-3d2a-4c55-9a10-5e6f7a8b9c0d";
const image = { id: ID, url: `/api/v1/uploads/${ID}`, content_type: "image/png", size: 10, filename: "a [draft].png", thumbnail_url: null };

describe("upload Markdown", () => {
  it("shows images and links other files, escaping brackets in the name", () => {
    expect(markdownFor(image)).toBe(`![a \\[draft\\].png](/api/v1/uploads/${ID})`);
    expect(markdownFor({ ...image, content_type: "application/pdf", filename: "report.pdf" })).toBe(`[report.pdf](/api/v1/uploads/${ID})`);
  });

  it("inserts on a line of its own at the caret, replacing the selection", () => {
    expect(insertAt("before after", 7, 12, "![x](u)")).toEqual({ text: "before \n![x](u)\n", caret: 16 });
    expect(insertAt("", 0, 0, "![x](u)")).toEqual({ text: "![x](u)\n", caret: 8 });
    expect(insertAt("line\n", 5, 5, "[f](u)")).toEqual({ text: "line\n[f](u)\n", caret: 12 });
  });

  it("holds back only this instance's upload images until they are fetched with the token", () => {
    const html = `<p><img src="/api/v1/uploads/${ID}" alt="d"><img src="https://images.example.com/a.png" alt="e"></p>`;
    expect(deferUploadImages(html)).toBe(
      `<p><img data-upload-src="/api/v1/uploads/${ID}" alt="d"><img src="https://images.example.com/a.png" alt="e"></p>`,
    );
  });

  it("formats sizes", () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(["512 B", "2 KB", "3.0 MB"]);
  });
});
