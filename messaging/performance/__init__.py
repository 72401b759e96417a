"""Response-time metrics (R21): the rule in SQL, the periodic task's computation and the
dashboard every member of a seller account can read.

- `selectors`: R21's buyer messages and buckets (one definition), the figures of 7, 30 and 90
  days, the late and unanswered messages;
- `services`: the daily figures, recomputed incrementally;
- `views`: the response-time page and its CSV.
"""
