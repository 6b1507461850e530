"""Skills in SQL: the taxonomy and its name index (`taxonomy`), profile skills and endorsements
(`holders`), learning goals (`goals`), the expert ranking read (`experts`), the stored score
with its upkeep (`scores`), and the counts stored on each skill with theirs (`counts`).

The expert score is stored, not computed per request. `user_skill.score` (with the parts it is made
of) is indexed as (skill_id, score, user_id), so a page of `/skills/{slug}/experts` is an index
range scan whatever the number of holders, like any plain list; computing it per request means
aggregating every endorsement of every holder and sorting them all before the first row comes back
(the "rank in ORDER BY" row of DESIGN.md's performance table). The price is upkeep: every write
that changes an input recomputes the affected rows from the source tables in the same
transaction, never incrementally, so a score cannot drift. Writers lock in one order (the skill
row shared, then user skills by user id and skill id) and recompute in a later statement than
the lock, so the recomputation sees every committed input and concurrent writers cannot deadlock.

Evidence (content tagged with a skill) is counted per person, skill and community into
`skill_evidence`: posts, accepted answers, helpful reactions. A content write (a post, an
accepted answer, a helpful reaction, new tags, a deletion) recounts the rows it feeds, driven by
the author's own rows through covering indexes (`refresh_evidence`, called by the posts
service); a change of a community's visibility only re-sums (`refresh_community_evidence`).

Visibility: the stored score sums evidence in public communities only, and counts an
endorsement's evidence link only when it names a live public post. It is the same for every
viewer, so it can be indexed. What a viewer is shown adds, in one more statement per page, the
evidence rows of the private communities that viewer can see (those where they are an active
member; all of them for administrators), and the bonus of endorsements citing live posts there,
stored with that evidence per private community (`skill_private_evidence`, kept by the score's
refresh): primary-key lookups of the page's flagged people in those communities, never the posts
behind them. Nothing from a community reaches a viewer who cannot see it, at the price that a
member's page is ordered by the public score while showing scores that include their private
evidence.
"""
