import { useId } from "react";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { MarkdownEditor } from "../composer/MarkdownEditor";
import { SimilarQuestions } from "../composer/SimilarQuestions";
import { cx } from "../../lib/cx";
import { ComposerUploads } from "../uploads/ComposerUploads";
import { useComposerUploads } from "../uploads/useComposerUploads";
import { TagInput } from "./TagInput";
import type { FormErrors } from "../../lib/formErrors";
import type { PostKind } from "../../api/types";
import { KIND_DESCRIPTIONS, KIND_LABELS, POST_KINDS } from "../../lib/postLabels";
import {
  BODY_MAX,
  LINKS_MAX,
  LINK_TITLE_MAX,
  TITLE_MAX,
  newLinkRow,
  type LinkValues,
  type PostValues,
} from "./postForm";

const TITLE_HINTS: Record<PostKind, string> = {
  question: "Ask it the way you’d ask a colleague, e.g. “How do you review a data model before it ships?”",
  best_practice: "Name the practice, e.g. “Write the rollback plan before the migration”.",
  resource: "What is it, and who is it for?",
  discussion: "What would you like to talk about?",
};

interface PostFieldsProps {
  values: PostValues;
  errors: FormErrors;
  onChange: (changes: Partial<PostValues>, field: keyof PostValues) => void;
  /** While a new question is titled, show similar ones (not when editing: it would find itself). */
  suggestSimilar?: boolean;
}

/** Kind, title, Markdown body, tags and (for resources) links: shared by the composer and the edit form. */
export function PostFields({ values, errors, onChange, suggestSimilar = false }: PostFieldsProps) {
  const id = useId();
  const kindHintId = `${id}-kind-hint`;
  const linksError = errors.fields.links;
  const bodyId = `${id}-body`;
  const uploads = useComposerUploads({
    textareaId: bodyId,
    attachments: values.attachments,
    onAttachments: (attachments) => {
      onChange({ attachments }, "attachments");
    },
    onBody: (body) => {
      onChange({ body }, "body");
    },
  });

  function setLink(index: number, change: Partial<LinkValues>) {
    onChange({ links: values.links.map((link, i) => (i === index ? { ...link, ...change } : link)) }, "links");
  }

  return (
    <>
      <fieldset className={cx("fieldset", errors.fields.kind && "field--invalid")} aria-describedby={kindHintId}>
        <legend className="field__label">What are you sharing?</legend>
        <div className="kind-picker">
          {POST_KINDS.map((kind) => (
            <label key={kind} className="kind-picker__choice">
              <input
                type="radio"
                name={`${id}-kind`}
                value={kind}
                checked={values.kind === kind}
                onChange={() => {
                  onChange({ kind }, "kind");
                }}
              />
              <span>{KIND_LABELS[kind]}</span>
            </label>
          ))}
        </div>
        <p className="field__hint" id={kindHintId}>
          {KIND_DESCRIPTIONS[values.kind]}
        </p>
        {errors.fields.kind && <p className="field__error">{errors.fields.kind}</p>}
      </fieldset>

      <TextField
        id={`${id}-title`}
        label="Title"
        hint={TITLE_HINTS[values.kind]}
        maxLength={TITLE_MAX}
        autoComplete="off"
        value={values.title}
        error={errors.fields.title}
        onChange={(event) => {
          onChange({ title: event.target.value }, "title");
        }}
      />

      {suggestSimilar && values.kind === "question" && <SimilarQuestions title={values.title} />}

      <MarkdownEditor
        id={bodyId}
        label="Details"
        optional
        rows={6}
        maxLength={BODY_MAX}
        hint="Markdown works: **bold**, _italic_, lists, `code` and [links](https://example.com). Type @ and a name to mention someone."
        value={values.body}
        error={errors.fields.body}
        onChange={(body) => {
          onChange({ body }, "body");
        }}
        textareaProps={uploads.textareaProps}
      />
      <ComposerUploads state={uploads} attachments={values.attachments} />
      {errors.fields.attachment_ids && <p className="field__error">{errors.fields.attachment_ids}</p>}

      <TagInput
        id={`${id}-tags`}
        value={values.tags}
        error={errors.fields.tags}
        onChange={(tags) => {
          onChange({ tags }, "tags");
        }}
      />

      {values.kind === "resource" && (
        <fieldset className={cx("fieldset", linksError && "field--invalid")}>
          <legend className="field__label">Links</legend>
          <p className="field__hint">Where to find the resource: web addresses starting with https://. Up to {LINKS_MAX}.</p>
          {values.links.length > 0 && (
            <ol className="link-rows">
              {values.links.map((link, index) => (
                <li key={index} className="link-rows__row">
                  <TextField
                    id={`${id}-link-${index}-url`}
                    label={`Link ${index + 1} address`}
                    type="url"
                    inputMode="url"
                    autoComplete="url"
                    placeholder="https://"
                    value={link.url}
                    error={index === 0 ? linksError : undefined}
                    onChange={(event) => {
                      setLink(index, { url: event.target.value });
                    }}
                  />
                  <TextField
                    id={`${id}-link-${index}-title`}
                    label={`Link ${index + 1} title`}
                    optional
                    maxLength={LINK_TITLE_MAX}
                    value={link.title}
                    onChange={(event) => {
                      setLink(index, { title: event.target.value });
                    }}
                  />
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Remove link ${index + 1}`}
                    onClick={() => {
                      onChange({ links: values.links.filter((_, i) => i !== index) }, "links");
                    }}
                  >
                    Remove
                  </Button>
                </li>
              ))}
            </ol>
          )}
          {linksError && values.links.length === 0 && <p className="field__error">{linksError}</p>}
          {values.links.length < LINKS_MAX && (
            <div>
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  onChange({ links: [...values.links, newLinkRow()] }, "links");
                }}
              >
                Add a link
              </Button>
            </div>
          )}
        </fieldset>
      )}
    </>
  );
}
