"""Excel import of member lists and export of lists and statistical report forms (Qt-free)."""
