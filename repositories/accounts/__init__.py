"""Account tokens (e-mail verification, password reset) in SQL."""
