"""What differs between the database engines the app runs on: one module per engine.

`sqlite` (a local file, the default) and later `postgres` (an office's server). Everything else in `core`
speaks SQLAlchemy (or the plain DB-API connections these modules hand out) and does not ask which one.
This package imports nothing at load time: `stats` starts without SQLAlchemy.
"""
