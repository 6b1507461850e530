"""Webhooks: subscriptions to the event catalog, signed deliveries, retries."""
