"""What encryption at rest costs (issue 23): the same operations on the demo office encrypted with SQLCipher 4
(core/keyslots) and on the plain file, side by side in one process. Target: ≤ 1.3× the plain file for each.

The benchmarks that time a command or the window in a child process (start, commands, expand, pdf, memory) are
represented here by their database part (opening and reading the tree); the ones that time core operations
(search, split, export, backup) are repeated as they are, on both files.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.common import TODAY, Result, fresh_copy, median, paired, ratio_target, scratch

LIMIT = 1.3


def _encrypted_copy(scale: int, folder: Path) -> Path:
    from khoi_desktop.core.auth.accounts import DEMO_PASSWORD, DEMO_USERNAME
    from khoi_desktop.core.keyslots.convert import discard_plain_copy, encrypt_file

    path = fresh_copy(scale, folder, "encrypted.db")
    done = encrypt_file(path, DEMO_USERNAME, DEMO_PASSWORD)
    discard_plain_copy(done.plain_copy)
    return path


def _open_and_read_tree(path: Path) -> None:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.tree import load_snapshot

    db = open_database(path)
    try:
        with db.plain_reading() as conn:
            load_snapshot(conn, TODAY)
    finally:
        db.close()


def run(scale: int, repeat: int) -> list[Result]:
    from bench.search import queries
    from bench.split import over_30, split_request
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.auth.accounts import DEMO_PASSWORD, DEMO_USERNAME
    from khoi_desktop.core.backup.writer import create_backup
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.keyslots.opening import close, open_signed_in
    from khoi_desktop.core.members import search_members
    from khoi_desktop.spreadsheets.exports import ExportOptions, export

    results: list[Result] = []
    repeat = max(3, repeat)
    with scratch() as folder_name:
        folder = Path(folder_name)
        plain_path = fresh_copy(scale, folder, "plain.db")
        encrypted_path = _encrypted_copy(scale, folder)
        started = time.perf_counter()
        encrypted = open_signed_in(encrypted_path, DEMO_USERNAME, DEMO_PASSWORD)  # the key stays held
        unlock_ms = (time.perf_counter() - started) * 1000
        plain = open_database(plain_path)
        note_base = f"scale {scale}; baseline: the same on the plain file"
        try:
            # A few milliseconds each: more rounds, or the machine's load decides the ratio.
            app, base = paired(lambda: _open_and_read_tree(encrypted_path), lambda: _open_and_read_tree(plain_path),
                               repeat * 4)
            results.append(ratio_target(Result("encrypted_open_tree", median(app) * 1000, median(base) * 1000, "ms",
                                               scale, note=f"open + the tree from a cold connection; {note_base}"),
                                        LIMIT))

            texts = queries(str(plain_path), 100)

            def search(db: object) -> None:
                with db.reading() as session:  # type: ignore[attr-defined]
                    for text in texts:
                        search_members(session, text, TODAY)

            search(encrypted), search(plain)  # warm both caches
            app, base = paired(lambda: search(encrypted), lambda: search(plain), repeat)
            results.append(ratio_target(Result("encrypted_search_100", median(app) * 1000, median(base) * 1000, "ms",
                                               scale, note=f"100 member searches; {note_base}"), LIMIT))

            targets = over_30(plain_path)
            rounds = min(repeat, (len(targets) - 1))

            def split(db: object, index: int) -> float:
                code, members, issuer = targets[index]
                request = split_request(code, members, issuer)
                start = time.perf_counter()
                with db.writing() as session:  # type: ignore[attr-defined]
                    apply_request(session, request, actor="bench", issue=True, today=TODAY,
                                  render=lambda _content, _info: b"%PDF-1.4 stub")
                return time.perf_counter() - start

            split(encrypted, 0), split(plain, 0)
            app, base = [], []
            for i in range(rounds):  # alternately, like paired(): both see the same load on the machine
                app.append(split(encrypted, 1 + i))
                base.append(split(plain, 1 + i))
            results.append(ratio_target(Result("encrypted_split_issued", median(app) * 1000, median(base) * 1000,
                                               "ms", scale, note=f"a chi bộ split and issued (PDF stubbed); "
                                                                 f"{note_base}"), LIMIT))

            options = ExportOptions(as_of=TODAY, today=TODAY)

            def export_members(db: object, out: Path) -> None:
                with db.reading() as session:  # type: ignore[attr-defined]
                    export(session, "members", out, options)

            app, base = paired(lambda: export_members(encrypted, folder / "e.xlsx"),
                               lambda: export_members(plain, folder / "p.xlsx"), repeat)
            results.append(ratio_target(Result("encrypted_export_members", median(app) * 1000, median(base) * 1000,
                                               "ms", scale, note=f"members to .xlsx; {note_base}"), LIMIT))

            def backup(db: object, out: Path) -> None:
                create_backup(db, out, actor="bench", kind="manual",  # type: ignore[arg-type]
                              passphrase="mat-khau-sao-luu-bench").path.unlink()

            app, base = paired(lambda: backup(encrypted, folder / "eb"), lambda: backup(plain, folder / "pb"),
                               repeat)
            results.append(ratio_target(Result("encrypted_backup", median(app) * 1000, median(base) * 1000, "ms",
                                               scale, note=f"a backup with a passphrase (pages decrypted in memory); "
                                                           f"{note_base}"), LIMIT))
        finally:
            close(encrypted)
            plain.close()
    results.append(Result("encrypted_unlock", unlock_ms, None, "ms", scale,
                          note="sign-in on the encrypted file: Argon2id of the key slot, then the login's own "
                               "Argon2id check (deliberately slow: guessing costs the same)"))
    return results
