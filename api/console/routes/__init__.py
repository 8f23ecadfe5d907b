"""The console's routers, one per area; `api/console/__init__.py` mounts them under /app."""
