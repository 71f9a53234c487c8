"""Qt-free domain and persistence. Never import PySide6 here."""
