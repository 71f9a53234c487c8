"""Decision workflows of the restructuring actions: a request is planned, checked, worded as a decision,
and carried out when issued.

This package only holds the parts (office, planners, plan checks, wording, execution); core/wiring.py
joins each request type to them and core/apply.py runs a request through them.
"""
