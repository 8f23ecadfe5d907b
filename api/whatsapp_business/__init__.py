"""The WhatsApp Business service: a separate FastAPI app on WHATSAPP_BUSINESS_PORT (send, status, templates,
and Meta's webhook at /webhook). `influency services start whatsapp-business`; started by `influency up`."""
