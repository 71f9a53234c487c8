"""Members' lives in the party: admission, recognition, transfers, leaving, exemption (issue 17).

Each event is decided like the restructuring actions (a request, checked against the office on the
event's date, worded by its template, numbered when issued); the membership rows carry the increase
and decrease reasons Biểu 1 counts, and `member_events` keeps what memberships cannot say (recognition,
exemption, temporary transfers, the giấy giới thiệu and its return slip).
"""
