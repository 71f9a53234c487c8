"""The connection dialog's address, remembered for the next start and shown again: a CA file or a database
named with a space, &, #, ? or Vietnamese letters comes back the same (it came back cut: the remembered address
joined them unencoded)."""

from __future__ import annotations

import pytest

from khoi_desktop.gui.server_dialog import ServerDialog

CA = "C:/Tài liệu/Chứng chỉ & khóa #1/ca?văn phòng.pem"


@pytest.mark.parametrize("database", ["khoi_vanphong", "khối văn phòng #2"])
def test_the_remembered_address_fills_the_dialog_in_again_as_typed(qtbot, database: str) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.engines.postgres import ServerAddress
    from khoi_desktop.gui.remembered_server import remember_server, remembered_server

    typed = ServerDialog(None)
    qtbot.addWidget(typed)
    typed.host.setText("may-chu.vanphong.local")
    typed.port.setValue(5433)
    typed.database.setText(database)
    typed.user.setText("khoi_app")
    typed.ca_file.setText(CA)
    remember_server(typed.url())
    url = remembered_server()
    assert url is not None
    args = ServerAddress.parse(url).connect_args()
    assert args["sslrootcert"] == CA and args["sslmode"] == "verify-full" and args["dbname"] == database
    shown = ServerDialog(None, address=url)
    qtbot.addWidget(shown)
    assert (shown.host.text(), shown.port.value(), shown.database.text(), shown.user.text(), shown.ca_file.text()) \
        == ("may-chu.vanphong.local", 5433, database, "khoi_app", CA)
    assert shown.address() == typed.address()
