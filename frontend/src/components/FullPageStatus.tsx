import { describeError } from "../api/errors";
import { BrandMark } from "./Brand";
import { Button } from "./Button";
import { Spinner } from "./Spinner";

/** Shown while the start-up session check runs. */
export function FullPageLoading() {
  return (
    <div className="full-page" role="status">
      <BrandMark />
      <Spinner size="lg" />
      <span className="visually-hidden">Loading Leaderful…</span>
    </div>
  );
}

/** Shown when the start-up session check could not reach the API. */
export function FullPageUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <main className="full-page" id="main">
      <div className="full-page__card" role="alert">
        <BrandMark />
        <h1>Leaderful is out of reach</h1>
        <p>{describeError(error)}</p>
        <Button onClick={onRetry}>Try again</Button>
      </div>
    </main>
  );
}
