"""HTTP API: app factory, routers, dependencies, the approval inbox and webhooks."""
