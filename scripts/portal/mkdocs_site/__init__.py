"""MkDocs-side helpers of the portal (called from hooks.py): per-language search indexes, 404 pages."""
