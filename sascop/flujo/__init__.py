"""Machinery the domain apps share: the versioned-record edit and delete (If-Match, catalog
checks, activity log) and the workflow steps of PTEs and OTs (model, edit, progress, shape).

Not an app: it owns no tables (PasoDeFlujo is abstract). It sits above `catalogos` and below
`ptes` in the layers, so PTEs, OTs and production share it without importing each other.
"""
