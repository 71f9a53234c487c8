"""Vietnamese for Qt's own texts (standard buttons, message boxes, wizards, edit menus, file dialogs).

Qt ships no Vietnamese translation, so a translator installed on the application answers the
strings Qt asks for; anything not listed stays as Qt wrote it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator

_BUTTONS = {
    "OK": "Đồng ý", "Save": "Lưu", "Save All": "Lưu tất cả", "Open": "Mở", "&Yes": "&Có", "Yes to &All": "Có cả",
    "&No": "&Không", "N&o to All": "Không cả", "Abort": "Dừng", "Retry": "Thử lại", "Ignore": "Bỏ qua",
    "Close": "Đóng", "Cancel": "Hủy", "Discard": "Bỏ", "Help": "Trợ giúp", "Apply": "Áp dụng", "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
}
_EDIT_MENU = {
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "Sao &chép", "&Paste": "&Dán",
    "Delete": "Xóa", "Select All": "Chọn tất cả", "Copy &Link Location": "Sao chép địa chỉ &liên kết",
}
_BY_CONTEXT: dict[str, dict[str, str]] = {
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": _BUTTONS,
    "QMessageBox": {**_BUTTONS, "Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…",
                    "About Qt": "Giới thiệu Qt"},
    "QWizard": {"< &Back": "< &Quay lại", "&Next": "&Tiếp", "&Next >": "&Tiếp >", "&Finish": "&Xong",
                "Cancel": "Hủy", "&Help": "Trợ &giúp", "Go Back": "Quay lại", "Continue": "Tiếp tục",
                "Commit": "Ghi", "Done": "Xong", "Help": "Trợ giúp"},
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": _EDIT_MENU,
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "&Tăng", "Step &down": "&Giảm"},
    "QProgressDialog": {"Cancel": "Hủy"},
    "QFileDialog": {
        "Look in:": "Tìm trong:", "&Look in:": "&Tìm trong:", "Files of &type:": "&Loại tệp:",
        "File &name:": "&Tên tệp:", "Files of type:": "Loại tệp:", "&Open": "&Mở",
        "&Save": "&Lưu", "&Choose": "&Chọn", "Cancel": "Hủy", "Open": "Mở", "Save As": "Lưu thành",
        "Back": "Lùi", "Forward": "Tiến", "Parent Directory": "Thư mục cha", "Create New Folder": "Tạo thư mục mới",
        "List View": "Dạng danh sách", "Detail View": "Dạng chi tiết", "Name": "Tên", "Size": "Kích thước",
        "Type": "Loại", "Date Modified": "Ngày sửa", "New Folder": "Thư mục mới", "All Files (*)": "Mọi tệp (*)",
        "Directory:": "Thư mục:", "Recent Places": "Nơi dùng gần đây", "My Computer": "Máy tính",
        "Computer": "Máy tính", "Find Directory": "Chọn thư mục", "&Rename": "Đổi &tên", "&Delete": "&Xóa",
        "Show &hidden files": "Hiện tệp &ẩn", "&New Folder": "Thư mục &mới",
        "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nThay thế tệp này?",
    },
    "QPrintDialog": {"Print": "In", "&Print": "&In", "Printer": "Máy in", "&Options >>": "&Tùy chọn >>",
                     "&Options <<": "&Tùy chọn <<", "Print to File (PDF)": "In ra tệp (PDF)",
                     "Local file": "Tệp trên máy", "Print range": "Phạm vi in", "Print all": "In tất cả",
                     "Pages from": "Từ trang", "to": "đến", "Copies": "Số bản"},
}


class VietnameseQtTranslator(QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None (a null QString) lets Qt keep its own text; "" would blank it.
        return _BY_CONTEXT.get(context, {}).get(source)


def install_translator(app: QCoreApplication) -> QObject:
    """Once per application: Qt's texts in Vietnamese, and Vietnamese month and day names."""
    # Kept on the application object: findChild's first call costs as much as the rest of this (start-up).
    existing = getattr(app, "_vietnamese_translator", None)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    translator = VietnameseQtTranslator(app)
    app.installTranslator(translator)
    app._vietnamese_translator = translator  # type: ignore[attr-defined]
    return translator
