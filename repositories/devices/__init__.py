"""Devices that receive push notifications, in SQL."""
