"""Posts, comments, reactions and reports in SQL: `repository` implements the PostRepository port,
`queries` holds the hot reads (a post in its context, a community's page, the feed, a thread)."""
