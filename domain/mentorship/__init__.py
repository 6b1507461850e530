"""Mentorship: mentor profiles, goal-driven recommendations and the request lifecycle."""
