"""Users and their credentials in SQL: `repository` implements the user and token ports,
`queries` holds the hot read (an account by id: every authenticated request's caller)."""
