"""Demo data in bulk: realistic communities of practice, fast, with every counter exact.

The text corpus is in `corpus`, the generator in `world`, the tables, inputs and result in
`model`, and the writers and bulk-load measures in `load`.

`seed_bulk()` generates people, communities, posts, threads, reactions and skill profiles in Python
from one seeded `random.Random` (the same seed and the same `now` give the same rows), and writes
them in one transaction: COPY through asyncpg's `copy_records_to_table` on PostgreSQL, executemany
on SQLite. Generation runs in a worker thread one chunk ahead of the writer, so Python builds the
next chunk of posts while the database ingests the previous one.

What makes the data realistic:
- community sizes follow a Zipf-like law (a few big communities, a long tail); people join with
  skewed activity weights; every community has stewards and moderators, open/approval/invite
  policies, some private ones, pending requests, an audit log, a few term-limited stewardships;
- posts of the four kinds spread over the last 180 days (denser recently), more posts in bigger
  communities, skewed authorship (a few members write most), tags drawn from the skill taxonomy
  (mostly the community's own topics), links on resources, @mentions;
- threads with comments and one level of replies, reactions (like/helpful/insightful, never on
  one's own content), accepted answers on about half the questions, a few pinned, locked, edited
  or deleted posts and comments, a few reports;
- skill profiles with Dreyfus levels (popular skills held by many), endorsements, learning goals.

Counters are computed while generating and written with the rows (community member_count,
post_count, last_activity_at; post comment_count, reaction counts, score, last_activity_at,
accepted_comment_id, tags; comment reaction counts and score). The skills' stored counts
(holders, experts, teachers, learners) are recomputed with one set-based UPDATE
(`repositories.skills.counts.recount`) and the expert scores with `refresh_scores` for every skill
at the end, so they are exact even when the instance had data before.

On PostgreSQL the load also: skips the per-row foreign key triggers when the role is a superuser
(`session_replication_role = replica` for this transaction; the tests check every key), turns
JIT off, and from DEFER_INDEXES_FROM posts into empty content tables drops their secondary
indexes and unreferenced keys and rebuilds them from their own definitions after the COPY. Then
ANALYZE before the score refresh, and VACUUM (ANALYZE) after the commit. Measured on the 2-core
machine with 20,000 people and 10,000 communities: 10,000 posts in ~7 s (SQLite ~6 s), 1,000,000
posts (1.9M comments, 4.2M reactions) in 4.6-6.6 min depending on the machine's other load, of
which ~70 s is PostgreSQL computing the generated tsvector column and ~85 s the score refresh.
"""

from repositories.seed.load import seed_bulk
from repositories.seed.model import DemoPerson, SeedSizes

__all__ = ["DemoPerson", "SeedSizes", "seed_bulk"]
