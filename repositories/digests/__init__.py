"""Notification mail and digests: each person's mail state and digest records."""
