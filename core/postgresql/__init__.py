"""Django's PostgreSQL backend, reading timestamps in C (core/postgresql/base.py)."""
