"""The lowest layer: building blocks every app may use and that know no app.

`refusals` (why something is refused, and the exceptions services raise), `admin` (read-only
admin mixins), `htmx` and `pagination` helpers, and `trigram` for search-index migrations.
"""
