"""`ScopedRouter`: a router that steps aside, in one regex search, for paths it cannot serve."""

from __future__ import annotations

import re

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope

_NAMED_GROUP = re.compile(r"\(\?P<[^>]+>")


class ScopedRouter(APIRouter):
    """An APIRouter that says "no match" at once when none of its routes can match the path.

    FastAPI (0.165) offers a request to every route of every included router in turn, with
    scope bookkeeping around each route's regex: about 17,000 CPU instructions per route, counted
    with tests/perf/instructions.py. A posts page, reached after five routers, spent about a
    million instructions per request (12 % of it) before its own code ran. An included router
    asks the router it wraps whether it `matches`. This one first searches the path for the end
    of any of its routes' paths, one compiled alternation, and answers NONE when there is none.
    A search rather than a match: the prefix the router is included under (`/api/v1`) is not
    known here, so the test accepts any prefix. It lets through a superset of its routes' paths,
    and FastAPI's own matching still decides.
    """

    _path_filter: re.Pattern[str] | None = None
    _path_filter_routes = -1  # how many routes the filter was built from

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path_filter = self._current_path_filter()
        if path_filter is not None and path_filter.search(scope.get("path", "")) is None:
            return Match.NONE, {}
        return super().matches(scope)

    def _current_path_filter(self) -> re.Pattern[str] | None:
        # Rebuilt if routes were added after the first request (tests add some).
        if self._path_filter_routes != len(self.routes):
            self._path_filter = path_filter(self)
            self._path_filter_routes = len(self.routes)
        return self._path_filter


def path_filter(router: APIRouter) -> re.Pattern[str] | None:
    """One pattern that finds, at the end of a path, the path of any of `router`'s routes; None
    (no filtering) when a route has no path pattern (a mount, an included router)."""
    patterns = []
    for route in router.routes:
        regex: re.Pattern[str] | None = getattr(route, "path_regex", None)
        if regex is None:
            return None
        # Starlette's route patterns are "^/path/(?P<param>...)$": unanchored at the start, and
        # with unnamed groups (the same parameter name may appear in several routes).
        patterns.append(_NAMED_GROUP.sub("(?:", regex.pattern.removeprefix("^")))
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + ")") if patterns else None
