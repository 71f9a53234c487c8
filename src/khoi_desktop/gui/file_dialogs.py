"""Choosing files and folders: Qt's own dialog (so its words are Vietnamese through gui/translator.py) on
Linux, the system's on Windows; the dialog starts in the folder last used (else Documents), not in the
program's working folder, and says where a file was saved."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

LAST_FOLDER_KEY = "files/last_folder"


def _settings() -> QSettings:
    return QSettings("khoi-desktop", "khoi-desktop")


def start_folder() -> Path:
    """The folder last used, while it still exists; else the user's Documents."""
    remembered = _settings().value(LAST_FOLDER_KEY)
    if remembered and Path(str(remembered)).is_dir():
        return Path(str(remembered))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember_folder(folder: Path) -> None:
    _settings().setValue(LAST_FOLDER_KEY, str(folder))


def _dialog(parent: QWidget | None, caption: str, folder: Path, filter_text: str = "") -> QFileDialog:
    dialog = QFileDialog(parent, caption, str(folder), filter_text)
    dialog.setObjectName("file_dialog")
    if sys.platform != "win32":  # the system dialog of a Linux desktop would speak its own language
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def _run(dialog: QFileDialog) -> Path | None:
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    chosen = Path(dialog.selectedFiles()[0])
    remember_folder(chosen if dialog.fileMode() == QFileDialog.FileMode.Directory else chosen.parent)
    return chosen


def ask_save_path(parent: QWidget | None, caption: str, suggested_name: str, filter_text: str,
                  suffix: str) -> Path | None:
    """Where to save; the ending (".pdf") is added when the clerk leaves it out."""
    suggested = Path(suggested_name)
    folder = suggested.parent if suggested.is_absolute() else start_folder()
    dialog = _dialog(parent, caption, folder, filter_text)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    dialog.selectFile(suggested.name)
    path = _run(dialog)
    if path is None:
        return None
    return path if path.suffix.lower() == f".{suffix}" else path.with_name(f"{path.name}.{suffix}")


def ask_open_path(parent: QWidget | None, caption: str, filter_text: str, folder: Path | None = None) -> Path | None:
    dialog = _dialog(parent, caption, folder if folder and folder.is_dir() else start_folder(), filter_text)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _run(dialog)


def ask_folder(parent: QWidget | None, caption: str) -> Path | None:
    dialog = _dialog(parent, caption, start_folder())
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _run(dialog)


def tell_saved(parent: QWidget | None, path: Path) -> QMessageBox:
    """A short confirmation after a file was written (not blocking: the clerk closes it when read)."""
    box = QMessageBox(QMessageBox.Icon.Information, "Đã lưu", f"Đã lưu tệp <b>{path.name}</b> vào thư mục "
                      f"{path.parent}.", QMessageBox.StandardButton.Close, parent)
    box.setObjectName("saved_notice")
    box.button(QMessageBox.StandardButton.Close).setText("Đóng")
    box.open()
    return box
