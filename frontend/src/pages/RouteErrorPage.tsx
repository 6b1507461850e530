import { isRouteErrorResponse, useRouteError } from "react-router";
import { BrandMark } from "../components/Brand";
import { usePageTitle } from "../lib/usePageTitle";

/** Last line of defence: a render error anywhere in the route tree lands here. */
export function RouteErrorPage() {
  usePageTitle("Something went wrong");
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="full-page" id="main">
      <div className="full-page__card" role="alert">
        <BrandMark />
        <h1>{notFound ? "We couldn’t find that page" : "Something went wrong"}</h1>
        <p>
          {notFound
            ? "The link may be mistyped, or the page may have moved."
            : "An unexpected error stopped this page. Reloading usually helps; if it keeps happening, let us know."}
        </p>
        <div className="button-row">
          <button type="button" className="btn btn--primary" onClick={() => { window.location.reload(); }}>
            Reload
          </button>
          <a className="btn btn--secondary" href="/">
            Go to home
          </a>
        </div>
      </div>
    </main>
  );
}
