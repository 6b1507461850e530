"""The leaderful index: how many people lead, and how evenly they share the leading.

Over a window (90 days by default):

- **share** = leaders / active members, where *active members* are the members who did anything
  in the window (posted, commented, reacted, or performed a leadership act) and *leaders* are
  those of them with at least one leadership act (domain.leadership.model.ActKind). A leader is
  active by definition, so 0 <= share <= 1.
- **concentration** = the share of all leadership acts performed by the busiest tenth of the
  leaders (at least one person: ceil(10% of leaders)). 0.1 means acts are spread evenly; 1.0
  means the busiest tenth does everything. With a single leader it is 1.0 (one person does all
  the leading, which is exactly what distributed leadership is not); with no acts it is None.

Why the top-10% share and not a Gini coefficient: it reads as a sentence a leadership team can
act on ("the busiest tenth of our leaders did 62% of the leading"), it is not fooled by small
communities (a Gini over one leader is 0, "perfectly equal", while the top share says 1.0,
"all in one pair of hands"), and it is cheap to compute from per-person counts.

Distributed leadership is a high share with a low concentration.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

WINDOW = timedelta(days=90)
TOP_FRACTION = 0.1

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class LeaderfulIndex:
    active_members: int
    leaders: int
    acts: int
    share: float  # leaders / active members; 0.0 when nobody was active
    concentration: float | None  # share of acts by the busiest tenth of leaders; None: no acts


def leaderful_index(active: Iterable[K], acts_by_person: Mapping[K, int]) -> LeaderfulIndex:
    """The index of one window. `active` lists the members who did anything in it (duplicates
    are fine); `acts_by_person` counts each person's leadership acts in it (zeros are ignored).
    People with acts count as active even when `active` misses them."""
    counts = sorted((n for n in acts_by_person.values() if n > 0), reverse=True)
    leaders = len(counts)
    people = set(active) | {p for p, n in acts_by_person.items() if n > 0}
    total = sum(counts)
    share = leaders / len(people) if people else 0.0
    concentration: float | None = None
    if total:
        top = max(1, math.ceil(leaders * TOP_FRACTION))
        concentration = sum(counts[:top]) / total
    return LeaderfulIndex(
        active_members=len(people),
        leaders=leaders,
        acts=total,
        share=round(share, 4),
        concentration=None if concentration is None else round(concentration, 4),
    )
