"""Backups: consistent snapshots in a single-file container, optional encryption, rotation, safe restore.

Modules, one job each: errors, crypto, container (file layout), manifest, snapshot (SQLite online
backup and checks), writer, reader, restore, rotation, storage (removable/network detection),
settings, status. This file imports nothing, so core.db can use `storage` without an import cycle.
"""
