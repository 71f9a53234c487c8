"""Alt letters for every dialog's buttons and fields: a clerk at the keyboard presses Alt+letter instead of tabbing
round a form. Letters chosen by hand (an "&" in the text) are kept; the rest get, as each dialog is shown, the first
letter of one of their words still free in that dialog (else another letter of theirs), so no two share a letter.
A control whose text is changed later without one gets one when Alt is next pressed in its dialog.
Only ASCII letters: Alt+Đ or Alt+ư cannot be typed on a Vietnamese keyboard (Unikey passes Alt+key through)."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QToolButton,
    QWidget,
    QWizard,
    QWizardPage,
)

_HAND_LETTER = re.compile(r"&([A-Za-z0-9])")


def row_label(text: str, first: QWidget) -> QLabel:
    """A form's label for a field that is a row of several widgets: buddied to the row's first input, so it takes
    an Alt letter too (QFormLayout buddies a label only to a single widget)."""
    label = QLabel(text, first.parentWidget())
    label.setBuddy(first)
    return label


def letter_of(text: str) -> str | None:
    """The Alt letter of a text ("&&" is a plain "&"), lower case; None without one."""
    match = _HAND_LETTER.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _text(widget: QWidget) -> str:
    return widget.title() if isinstance(widget, QGroupBox) else widget.text()  # type: ignore[attr-defined]


def _set_text(widget: QWidget, text: str) -> None:
    if isinstance(widget, QGroupBox):
        widget.setTitle(text)
    else:
        widget.setText(text)  # type: ignore[attr-defined]


def _word_starts(text: str) -> list[int]:
    """Positions of the ASCII letters that begin a word of `text` («Thêm chi bộ»: T, c, b)."""
    return [m.start() for m in re.finditer(r"(?<![A-Za-z\u00C0-\u1EF9])[A-Za-z]", text)]


def _choices(text: str) -> list[int]:
    """Positions of the ASCII letters of `text`: first letters of words first, then the others in order."""
    starts = _word_starts(text)
    others = [i for i, c in enumerate(text) if c.isascii() and c.isalpha() and i not in starts]
    return starts + others


def pick_letters(texts: list[str], taken: set[str]) -> dict[int, str]:
    """Index of each text without a letter -> the letter it gets, none in `taken` nor another text's own.

    As many texts get a letter as the letters allow (a text may move an earlier one to another of its letters:
    «Giới tính» finds none free when «Người giới thiệu» took its g greedily), and as many as can get the first
    letter of one of their words: first letters are matched first, all letters only for the texts left then. A text
    takes a free letter of its own before moving another's (one matched greedily took «Hủy»'s h, which then read
    «Hủ&y», though that other had a free first letter of its own)."""
    used = set(taken) | {letter for t in texts if (letter := letter_of(t)) is not None}
    bare = [i for i, t in enumerate(texts) if letter_of(t) is None]

    def letters(text: str, positions: list[int]) -> list[str]:
        return [c for c in dict.fromkeys(text[i].lower() for i in positions) if c not in used]

    holder: dict[str, int] = {}  # letter -> index in `bare`

    def place(index: int, choices: list[list[str]], seen: set[str]) -> bool:
        free = next((letter for letter in choices[index] if letter not in holder), None)
        if free is not None:
            holder[free] = index
            return True
        for letter in choices[index]:
            if letter not in seen:
                seen.add(letter)
                if place(holder[letter], choices, seen):
                    holder[letter] = index
                    return True
        return False

    firsts = [letters(texts[i], _word_starts(texts[i])) for i in bare]
    every = [letters(texts[i], _choices(texts[i])) for i in bare]
    for index in range(len(bare)):
        place(index, firsts, set())
    placed = set(holder.values())
    for index in range(len(bare)):
        if index not in placed:
            place(index, every, set())
    return {bare[index]: letter for letter, index in holder.items()}


def _takes_letter(widget: QWidget) -> bool:
    if isinstance(widget, QToolButton):
        return False  # a toolbar's or a date box's: their text is an icon's, Qt shows no underline
    if isinstance(widget, QAbstractButton):
        return bool(widget.text().strip())
    if isinstance(widget, QLabel):
        return widget.buddy() is not None and bool(widget.text().strip()) and not widget.text().lstrip().startswith("<")
    return isinstance(widget, QGroupBox) and widget.isCheckable() and bool(widget.title().strip())


def _controls(root: QWidget, *, skip_pages: bool) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not _takes_letter(widget):
            continue
        if skip_pages and _inside_page(widget, root):
            continue
        found.append(widget)
    # What shows now first, buttons before fields: the letters run out in the largest dialogs.
    return sorted(found, key=lambda w: (not w.isVisibleTo(root), isinstance(w, QLabel)))


def _inside_page(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QWizardPage):
            return True
        parent = parent.parentWidget()
    return False


def _assign(controls: list[QWidget], taken: set[str]) -> set[str]:
    """Give each control without a letter one not in `taken` (pick_letters); returns the letters now used."""
    texts = [_text(widget) for widget in controls]
    picked = pick_letters(texts, taken)
    for index, letter in picked.items():
        text = texts[index]
        position = next(i for i in _choices(text) if text[i].lower() == letter)
        _set_text(controls[index], text[:position] + "&" + text[position:])
    return set(taken) | {letter_of(_text(widget)) or "" for widget in controls} - {""}


def give_alt_letters(dialog: QWidget) -> None:
    """Letters for `dialog`'s controls; in a wizard each page shares only the wizard's own buttons' letters."""
    if isinstance(dialog, QWizard):
        frame = _assign(_controls(dialog, skip_pages=True), set())
        for page_id in dialog.pageIds():
            _assign(_controls(dialog.page(page_id), skip_pages=False), frame)
    else:
        _assign(_controls(dialog, skip_pages=False), set())


def _ours(widget: QWidget) -> bool:
    return type(widget).__module__.startswith("khoi_desktop.")


class AltLetters(QObject):
    """Gives letters to a dialog of this program as it is shown, and to a control shown later in one (a wizard's
    new chi bộ box, a field that appears with a choice)."""

    _installed: AltLetters | None = None

    @classmethod
    def install(cls) -> None:
        app = QApplication.instance()
        if cls._installed is None and app is not None:
            cls._installed = AltLetters(app)
            app.installEventFilter(cls._installed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget)
                and event.modifiers() & Qt.KeyboardModifier.AltModifier):  # type: ignore[attr-defined]
            # Alt pressed: a control whose text was changed since it was shown («Sao lưu» set without «&») has
            # lost its letter; it gets one now, before Qt looks the letter up.
            window = watched.window()
            if isinstance(window, QDialog) and _ours(window) and window.isVisible():
                give_alt_letters(window)
            return False
        if event.type() != QEvent.Type.Show or not isinstance(watched, QWidget):
            return False
        if isinstance(watched, QDialog) and _ours(watched):
            give_alt_letters(watched)
        elif _takes_letter(watched) and letter_of(_text(watched)) is None:
            window = watched.window()
            if isinstance(window, QDialog) and _ours(window) and window.isVisible():
                give_alt_letters(window)
        return False
