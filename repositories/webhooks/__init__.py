"""Webhooks: subscriptions, deliveries and their tries."""
