"""The catalogue of decision actions: each action's key (as in request JSON) and its Vietnamese name.

One name per action everywhere a clerk reads it: the decisions view, the outgoing register, the
template editor. What each action needs and does is wired in core/wiring.py.
"""

from __future__ import annotations

import enum


class Action(enum.StrEnum):
    label: str

    def __new__(cls, value: str, label: str) -> Action:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    FOUND = "found", "Thành lập"
    SPLIT = "split", "Tách"
    UPGRADE = "upgrade", "Nâng cấp thành đảng bộ"
    CONSOLIDATE = "consolidate", "Hợp nhất"
    ABSORB = "absorb", "Sáp nhập"
    TRANSFER = "transfer", "Chuyển trực thuộc"
    RECEIVE = "receive", "Tiếp nhận"
    HAND_OVER = "hand_over", "Chuyển giao"
    DISSOLVE = "dissolve", "Giải thể"
    APPOINT = "appoint", "Chỉ định, chuẩn y cấp ủy"
    APPROVE_ELECTION = "approve_election", "Chuẩn y kết quả bầu cử"
    END_SEAT = "end_seat", "Thôi giữ chức"
    RECOGNIZE_RATINGS = "recognize_ratings", "Công nhận kết quả xếp loại chất lượng"
    ADMIT = "admit", "Kết nạp đảng viên"
    CONFIRM_FULL = "confirm_full", "Công nhận đảng viên chính thức"
    LEAVE = "leave", "Ra khỏi danh sách đảng viên"
    EXEMPT = "exempt", "Miễn sinh hoạt đảng"
    END_EXEMPTION = "end_exemption", "Thôi miễn sinh hoạt đảng"
    TRANSFER_MEMBER = "transfer_member", "Chuyển sinh hoạt đảng"
    RECEIVE_MEMBER = "receive_member", "Tiếp nhận sinh hoạt đảng"


ACTION_LABELS: dict[str, str] = {action.value: action.label for action in Action}
# Documents in the outgoing register that no request decides (core/member_events/letters.py).
DOCUMENT_LABELS: dict[str, str] = {"gioi_thieu_sinh_hoat": "Giấy giới thiệu sinh hoạt đảng"}


def action_label(action: str) -> str:
    """The Vietnamese name of an action; an unknown key (an older database) is shown as stored."""
    return ACTION_LABELS.get(action) or DOCUMENT_LABELS.get(action, action)
