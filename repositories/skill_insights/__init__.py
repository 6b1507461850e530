"""Skill insights in SQL: the rollups a scheduled job computes (`skill_insight`, one row per
scope and skill, the organisation's scope being the nil UUID) and the suggested mentorship pairs
of at-risk skills (`skill_insight_pair`).

Why rollups: demand and supply count questions, answers and accepted answers over 90 days and 12
months. At a million posts that is a scan of a year of questions per request; stored, a page is an
index range scan on (scope, sort key, skill) whatever the size of the content, followed by one
primary-key lookup of the page's pairs. The job reads the facts in a handful of set-based
statements, driven by the recent-posts index, and swaps the rollups in one transaction.
"""
