"""The mentorship feature's storage: its tables, its repository, its part of the unit of work."""
