"""The next code of a sequence continues after its highest number (read by the database, not by reading every
code): hand-typed codes with the prefix are not part of it, the width in use is kept, codes taken in the same
request come after."""

from __future__ import annotations

import pytest

from factories import add_org
from khoi_desktop.core.codes import continue_sequence, next_codes
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import Organization, OrgKind


@pytest.mark.parametrize(("codes", "taken", "expected"), [
    ([], [], ["CB0001", "CB0002"]),
    (["CB0001", "CB0099", "CB0007"], [], ["CB0100", "CB0101"]),
    (["CB0001", "CB0099", "CB100"], [], ["CB101", "CB102"]),  # a larger number typed narrower
    (["CB0009", "CB-cũ", "cb9999", "CB0200X", "CBX77", "CB"], [], ["CB0010", "CB0011"]),
    (["CB00120", "CB0119"], [], ["CB00121", "CB00122"]),  # leading zeros: the number decides
    (["CB0005"], ["CB0006"], ["CB0007", "CB0008"]),
    (["CB0000000098", "CB0099", "CB97", "CB0100a"], [], ["CB0100", "CB0101"]),  # many zeros: still smaller
    (["CB0010", "CB9", "CB0009"], [], ["CB0011", "CB0012"]),
    # The highest code of a length is not all digits: the highest of that length that is.
    (["CB0099", "CB01A0", "CB0050"], [], ["CB0100", "CB0101"]),
    (["CB0099", "CB9ZZZ", "CB1X", "CB7"], [], ["CB0100", "CB0101"]),
])
def test_next_codes_reads_only_the_highest(db: Database, codes: list[str], taken: list[str],
                                           expected: list[str]) -> None:
    with db.writing() as s:
        for i, code in enumerate(codes):
            add_org(s, code, f"Chi bộ {i}", OrgKind.CHI_BO_CO_SO)
        assert next_codes(s, Organization.code, "CB", 2, taken=taken) == expected
        # The same as the rule applied to every code.
        assert continue_sequence("CB", [*codes, *taken], 2) == expected
