"""Request plumbing below the API and the pages: middleware, the trusted reverse proxy, request
ids, logs and metrics, client address, health, error views.
"""
