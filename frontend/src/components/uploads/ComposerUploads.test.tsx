import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Attachment } from "../../api/types";
import { json, mockApi } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { adaSummary, community, page } from "../../test/communityFixtures";
import { POST_ID, comment, post } from "../../test/postFixtures";
import { mockUploads } from "../../test/xhrMock";

const member = community({
  my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null },
  my_permissions: ["view_members", "view_audit", "nominate", "set_notify_level", "post"],
});
const IMAGE_ID = "0b6f7c1e-3d2a-4c55-9a10-5e6f7a8b9c0d";
const FILE_ID = "1c7a8d2f-4e3b-4d66-8b21-6f7a8b9c0d1e";
const image: Attachment = {
  id: IMAGE_ID,
  url: `/api/v1/uploads/${IMAGE_ID}`,
  content_type: "image/png",
  size: 2048,
  filename: "diagram.png",
  thumbnail_url: `/api/v1/uploads/${IMAGE_ID}/thumbnail`,
};
const pdf: Attachment = { id: FILE_ID, url: `/api/v1/uploads/${FILE_ID}`, content_type: "application/pdf", size: 4096, filename: "report.pdf", thumbnail_url: null };

function composer() {
  return within(screen.getByRole("form", { name: "New post" }));
}

beforeEach(() => {
  vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: vi.fn(() => "blob:upload"), revokeObjectURL: vi.fn() }));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function openComposer() {
  const created = post({ author: adaSummary, title: "Our data model", attachments: [image] });
  const api = asSignedIn(mockApi())
    .on("GET", "/api/v1/feed", () => json(200, page([])), () => json(200, page([created])))
    .on("GET", "/api/v1/communities", () => json(200, page([member])))
    .on("POST", "/api/v1/communities/data-science/posts", () => json(201, created, { Location: `/api/v1/posts/${POST_ID}` }));
  const rendered = renderApp("/");
  await rendered.user.click(await screen.findByRole("button", { name: "Ask a question" }));
  await rendered.user.selectOptions(composer().getByLabelText(/^Community/), "Data Science");
  return { api, ...rendered };
}

describe("attaching files in the composer", () => {
  it("uploads a chosen image with progress, inserts its Markdown and sends attachment_ids", async () => {
    const uploads = mockUploads();
    const { api, user } = await openComposer();
    await user.type(composer().getByLabelText(/^Title/), "Our data model");
    await user.type(composer().getByLabelText(/^Details/), "Here it is:");

    const input = document.querySelector<HTMLInputElement>("form[aria-label='New post'] input[type=file]");
    expect(input).not.toBeNull();
    expect(composer().getByRole("button", { name: "Attach image or file" })).toBeEnabled();
    await user.upload(input!, new File(["png"], "diagram.png", { type: "image/png" }));

    const request = uploads.sent[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/v1/uploads");
    expect(request?.headers.get("authorization")).toBe("Bearer access-1");
    expect(request?.file?.name).toBe("diagram.png");
    request?.progress(0.5);
    expect(await composer().findByRole("progressbar", { name: "Uploading diagram.png" })).toHaveAttribute("value", "50");
    expect(composer().getByText("50%")).toBeInTheDocument();
    request?.respond(201, image);

    await waitFor(() => {
      expect(composer().getByLabelText(/^Details/)).toHaveValue(`Here it is:\n![diagram.png](/api/v1/uploads/${IMAGE_ID})\n`);
    });
    expect(within(composer().getByRole("list", { name: "Attached files" })).getByText("diagram.png")).toBeInTheDocument();
    expect(composer().queryByRole("progressbar")).not.toBeInTheDocument();

    await user.click(composer().getByRole("button", { name: "Post question" }));
    await screen.findByText(/Question posted in Data Science/);
    const [sent] = api.callsTo("POST", "/api/v1/communities/data-science/posts");
    expect(JSON.parse(sent?.body ?? "")).toMatchObject({ body: `Here it is:\n![diagram.png](/api/v1/uploads/${IMAGE_ID})\n`, attachment_ids: [IMAGE_ID] });
  });

  it("takes pasted images, and removing one takes its Markdown out too", async () => {
    const uploads = mockUploads();
    const { user } = await openComposer();
    const details = composer().getByLabelText(/^Details/);
    fireEvent.paste(details, { clipboardData: { files: [new File(["png"], "image.png", { type: "image/png" })] } });
    const request = uploads.sent[0];
    expect(request?.file?.name).toMatch(/^pasted-image-.*\.png$/);
    request?.respond(201, image);
    await waitFor(() => {
      expect(details).toHaveValue(`![diagram.png](/api/v1/uploads/${IMAGE_ID})\n`);
    });

    await user.click(composer().getByRole("button", { name: "Remove diagram.png" }));
    expect(details).toHaveValue("");
    expect(composer().queryByRole("list", { name: "Attached files" })).not.toBeInTheDocument();
  });

  it("takes dropped files, and says why a file was refused", async () => {
    const uploads = mockUploads();
    const { user } = await openComposer();
    fireEvent.drop(composer().getByLabelText(/^Details/), {
      dataTransfer: { files: [new File(["<svg/>"], "logo.svg", { type: "image/svg+xml" })], types: ["Files"] },
    });
    uploads.sent[0]?.respond(
      415,
      { type: "https://leaderful.dev/problems/unsupported-media-type", title: "Unsupported Media Type", status: 415, detail: "HTML, SVG, XML and binary files are not taken." },
      "application/problem+json",
    );
    expect(await composer().findByRole("alert")).toHaveTextContent(/can’t be attached/);
    await user.click(composer().getByRole("button", { name: "Dismiss logo.svg" }));
    expect(composer().queryByRole("alert")).not.toBeInTheDocument();
    expect(composer().getByLabelText(/^Details/)).toHaveValue("");
  });
});

describe("attachments on a post page", () => {
  it("lists images as thumbnails and documents as downloads, and loads upload images in the body with the token", async () => {
    const POST = `/api/v1/posts/${POST_ID}`;
    const subject = post({
      body_html: `<p><img src="/api/v1/uploads/${IMAGE_ID}" alt="diagram" referrerpolicy="no-referrer" loading="lazy"></p>`,
      attachments: [image, pdf],
    });
    const api = asSignedIn(mockApi())
      .on("GET", POST, () => json(200, subject, { ETag: '"v1"' }))
      .on("GET", `${POST}/comments`, () => json(200, page([comment({ attachments: [pdf] })])))
      .on("GET", "/api/v1/communities/data-science", () => json(200, member, { ETag: '"v1"' }))
      .on("GET", `/api/v1/uploads/${IMAGE_ID}`, () => new Response("png", { headers: { "Content-Type": "image/png" } }))
      .on("GET", `/api/v1/uploads/${IMAGE_ID}/thumbnail`, () => new Response("webp", { headers: { "Content-Type": "image/webp" } }))
      .on("GET", `/api/v1/uploads/${FILE_ID}`, () => new Response("%PDF", { headers: { "Content-Type": "application/pdf" } }));
    const { user } = renderApp(`/posts/${POST_ID}`);

    const [postFiles] = await screen.findAllByRole("region", { name: "Attachments" });
    const thumbnail = await within(postFiles!).findByRole("img", { name: "diagram.png" });
    expect(thumbnail).toHaveAttribute("src", "blob:upload");
    const body = await screen.findByRole("img", { name: "diagram" });
    await waitFor(() => {
      expect(body).toHaveAttribute("src", "blob:upload");
    });
    expect(api.callsTo("GET", `/api/v1/uploads/${IMAGE_ID}`)[0]?.headers.get("Authorization")).toBe("Bearer access-1");

    const [download] = await screen.findAllByRole("button", { name: "Download report.pdf (4 KB)" });
    await user.click(download!);
    await waitFor(() => {
      expect(api.callsTo("GET", `/api/v1/uploads/${FILE_ID}`)).toHaveLength(1);
    });
    expect(screen.queryByText("The download failed; try again.")).not.toBeInTheDocument();
  });
});
