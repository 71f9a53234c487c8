"""Files as an older version of the app left them, for migration tests."""

from __future__ import annotations

from pathlib import Path


def back_to_before_0006(path: Path) -> None:
    """The file as an app of revision 0004 left it: later migrations undone, then 0006 (data only) unstamped."""
    from alembic import command
    from sqlalchemy import text

    from khoi_desktop.core.db import _alembic_config, make_engine

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0006_clean_text")
            connection.execute(text("UPDATE alembic_version SET version_num = '0004'"))
    finally:
        engine.dispose()
