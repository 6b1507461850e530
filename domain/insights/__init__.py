"""Leadership insights: the leaderful index and community health over time."""
