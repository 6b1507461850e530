"""Delta sync for mobile clients: what changed that the caller can see, since a token."""
