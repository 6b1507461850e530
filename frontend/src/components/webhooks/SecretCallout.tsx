import { useEffect, useRef } from "react";
import { Button } from "../Button";
import { CopyButton } from "../CopyButton";

export interface ShownSecret {
  /** "created" after a new webhook, "rotated" after a rotation. */
  reason: "created" | "rotated";
  url: string;
  secret: string;
}

/** The signing secret, shown once: the API never returns it again. Focus moves to it. */
export function SecretCallout({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [shown]);
  return (
    <section className="secret-callout" aria-labelledby="webhook-secret-title">
      <h3 id="webhook-secret-title" ref={heading} tabIndex={-1} data-focus-target>
        {shown.reason === "created" ? "Copy the signing secret now" : "Copy the new signing secret now"}
      </h3>
      <p className="secret-callout__warning">
        You will not see this secret again. Your receiver at <span className="webhook__url">{shown.url}</span> needs
        it to check the <code>webhook-signature</code> header of every delivery.
        {shown.reason === "rotated" &&
          " The previous secret keeps signing beside it for 24 hours, so switch your receiver over within a day."}
      </p>
      <div className="secret-callout__value">
        <code>{shown.secret}</code>
        <CopyButton value={shown.secret} label="Copy secret" />
      </div>
      <Button variant="secondary" size="sm" onClick={onDone}>
        I’ve saved it
      </Button>
    </section>
  );
}
