"""PySide6 face of the app. Screens ask core for plain data through the database worker."""
