"""Outgoing mail at run time: templates (render.py), SMTP or .eml files (transport.py), and the
job that sends each queued message (delivery.py). Features queue mail with
`domain.mail.service.send_mail`; nothing here is called from a request."""
