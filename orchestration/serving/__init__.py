"""Serving targets beyond the embedded DuckDB file: a PostgreSQL schema (postgres.py) and the
Superset REST client that registers it for the BI quick start (superset.py).

Each target exposes `publish_to(published_path)`, called with the newly published DuckDB file.
"""
