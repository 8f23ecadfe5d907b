"""Provider integrations (SMTP, WhatsApp Cloud API), each a Protocol with a real and a local implementation."""
