"""Declared mappings: sources.yml says how a tool we ship no code for feeds contract exports
(spec.py); engine.py runs one as SQL in DuckDB. Rules: docs/sources.md, Declared mappings."""
