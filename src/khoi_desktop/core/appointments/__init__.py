"""Committees and appointments: chỉ định, chuẩn y, end of seats, submissions, term summaries.

Importing the package registers the request types (appoint, approve_election, end_seat); their
preparers live in `workflow` and are loaded with the decision workflows.
"""

from khoi_desktop.core.appointments import requests as requests  # noqa: F401  (registers the request types)
