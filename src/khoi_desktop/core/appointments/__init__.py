"""Committees and appointments: chỉ định, chuẩn y, end of seats, submissions, term summaries.

The request types live in `requests`, their preparers in `workflow`; core/wiring.py joins them.
"""
