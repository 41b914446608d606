"""The JSON API's plumbing: authentication, parsing, negotiation, filters, paging, ETags, the
exception handler and the OpenAPI schema.
"""
