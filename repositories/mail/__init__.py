"""Queued mail: messages travel in the event outbox as `mail.requested` events."""
