"""Import of a 5.000-row member list (read, map, check, add in one transaction) beside the bare work: openpyxl
read-only over the same file and one sqlite3 transaction inserting the same members and memberships."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from bench.common import TODAY, Result, fresh_copy, median, scratch, timed

ROWS = 5000
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ", "CCCD",
          "Chức vụ"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Đức", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Thảo", "Tuấn"]


def member_list(path: Path) -> Path:
    from openpyxl import Workbook

    rng = random.Random(15)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Danh sách")
    ws.append(HEADER)
    for i in range(1, ROWS + 1):
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 12000))
        admitted = birth + dt.timedelta(days=rng.randrange(6600, 9000))  # at 18 to 24, all before TODAY
        # Card numbers from 0…, CCCD from province 099: numbers the demo office never gives (no duplicates).
        ws.append([i, f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
                   birth.strftime("%d/%m/%Y"), rng.choice(["Nam", "Nữ"]), admitted.strftime("%d/%m/%Y"),
                   (admitted + dt.timedelta(days=365)).strftime("%d/%m/%Y"), f"0{i:07d}", f"099{i:09d}",
                   "Chuyên viên"])
    workbook.save(path)
    return path


def bare_import(db_path: Path, xlsx: Path, org_id: int) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx, read_only=True)
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
    workbook.close()
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            start = conn.execute("SELECT coalesce(max(id), 0) FROM members").fetchone()[0]
            members, memberships = [], []
            for offset, r in enumerate(rows, start=1):
                family, middle, given = r[1].split(" ", 2)  # the app splits the same way here
                birth = dt.datetime.strptime(r[2], "%d/%m/%Y").date().isoformat()
                admitted = dt.datetime.strptime(r[4], "%d/%m/%Y").date().isoformat()
                full = dt.datetime.strptime(r[5], "%d/%m/%Y").date().isoformat()
                members.append((start + offset, f"BARE{offset:06d}", family, middle, given, r[1].lower(),
                                r[1].lower(), "nam" if r[3] == "Nam" else "nu", birth, admitted, full,
                                f"B{r[6]}", f"B{r[7]}", r[8]))
                memberships.append((start + offset, org_id, TODAY.isoformat()))
            conn.executemany(
                "INSERT INTO members (id, code, family_name, middle_name, given_name, search_key, sort_key, sex, "
                "birth_date, admitted_on, full_member_on, card_number, national_id, job_title) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", members)
            conn.executemany("INSERT INTO memberships (member_id, org_id, valid_from) VALUES (?,?,?)", memberships)
            conn.execute("DELETE FROM memberships WHERE member_id > ?", (start,))  # leave the copy as it was
            conn.execute("DELETE FROM members WHERE id > ?", (start,))
    finally:
        conn.close()


def _one_round(scale: int, folder: Path, xlsx: Path, attempt: int) -> tuple[float, float]:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.spreadsheets.mapping import propose_mapping
    from khoi_desktop.spreadsheets.member_import import ImportOptions, import_members
    from khoi_desktop.spreadsheets.reader import read_table

    target = fresh_copy(scale, folder, f"office-{attempt}.db")
    conn = sqlite3.connect(target)
    org_id, org_code = conn.execute(
        "SELECT id, code FROM organizations WHERE kind = 'chi_bo_truc_thuoc' AND ended_on IS NULL "
        "ORDER BY id LIMIT 1").fetchone()
    conn.close()
    db = open_database(target)

    def app() -> None:
        table = read_table(xlsx, None)
        with db.writing() as session:
            report = import_members(session, table, propose_mapping(table),
                                    ImportOptions(target_org=org_code, joined_on=TODAY, today=TODAY,
                                                  accept_name_duplicates=True), actor="bench")
        assert len(report.imported) == ROWS

    try:
        app_seconds = timed(app)
    finally:
        db.close()
    return app_seconds, timed(lambda: bare_import(target, xlsx, org_id))


def run(scale: int, repeat: int) -> list[Result]:
    app_times, base_times = [], []
    with scratch() as folder:
        xlsx = member_list(Path(folder) / "ds.xlsx")
        for attempt in range(max(1, min(repeat, 3))):
            app_seconds, bare_seconds = _one_round(scale, Path(folder), xlsx, attempt)
            app_times.append(app_seconds)
            base_times.append(bare_seconds)
    return [Result("import_5000_members", median(app_times) * 1000, median(base_times) * 1000, "ms", scale,
                   note=f"{ROWS} rows from .xlsx into one chi bộ (read, map, check, add, audit); bare: openpyxl "
                        "read-only + one sqlite3 transaction of the same inserts")]
