"""Qt ships no Vietnamese translation for its standard buttons: name them here."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

_TEXTS = {
    QDialogButtonBox.StandardButton.Ok: "Đồng ý",
    QDialogButtonBox.StandardButton.Cancel: "Hủy",
    QDialogButtonBox.StandardButton.Close: "Đóng",
    QDialogButtonBox.StandardButton.Save: "Lưu",
    QDialogButtonBox.StandardButton.Yes: "Có",
    QDialogButtonBox.StandardButton.No: "Không",
}


def vietnamese_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    for which, text in _TEXTS.items():
        button = box.button(which)
        if button is not None:
            button.setText(text)
    return box
