"""Webhook delivery at run time: the receiver URL rules (SSRF), the HTTP sender that signs per
Standard Webhooks, and the task and job that send deliveries."""
