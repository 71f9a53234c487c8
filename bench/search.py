"""Member search p50/p95 over realistic queries, beside one raw SQLite query over the same FTS5 index.

The app reads the FTS5 index member_fts (migration 0020) in name order and stops at the limit; the baseline
is the plain way to use that index: one query matching every word as a prefix, phrase first, sorted by
name, limit 500 (it sorts every match). Until 2 December 2026 the baseline was a LIKE '% word%' per word
over the folded column (`like_query`, kept for comparison): a scan of every member."""

from __future__ import annotations

import random
import sqlite3
import time

from bench.common import TODAY, Result, absolute_target, demo_database, percentile

QUERIES = 200


def queries(db: str, count: int = QUERIES, seed: int = 7) -> list[str]:
    """What clerks type: full names, family + given name, a given name, a name cut short while typing."""
    conn = sqlite3.connect(db)
    keys = [row[0] for row in conn.execute("SELECT search_key FROM members ORDER BY id")]
    conn.close()
    rng = random.Random(seed)
    result = []
    for i in range(count):
        words = rng.choice(keys).split()
        kind = i % 5
        if kind in (0, 1):
            result.append(" ".join(words))
        elif kind == 2:
            result.append(f"{words[0]} {words[-1]}")
        elif kind == 3:
            result.append(words[-1])
        else:
            text = " ".join(words)
            result.append(text[: rng.randint(3, max(3, len(text) - 1))].strip())
    return result


def bare_query(conn: sqlite3.Connection, text: str, limit: int = 500) -> list[tuple[object, ...]]:
    """The same search with one raw FTS5 query: every word a prefix, the words in that order first, name order."""
    from khoi_desktop.core.engines.sqlite_search import ID_MASK, all_match, phrase_match

    words = text.split()
    sql = (f"SELECT id, code, family_name, middle_name, given_name FROM members WHERE id IN "
           f"(SELECT rowid & {ID_MASK} FROM member_fts WHERE member_fts MATCH ?) ORDER BY CASE WHEN id IN "
           f"(SELECT rowid & {ID_MASK} FROM member_fts WHERE member_fts MATCH ?) THEN 0 ELSE 1 END, sort_key, code "
           "LIMIT ?")
    return conn.execute(sql, (all_match(words), phrase_match(words), limit)).fetchall()


def like_query(conn: sqlite3.Connection, text: str, limit: int = 500) -> list[tuple[object, ...]]:
    """The same search with raw SQL: a LIKE per word over the folded column, phrase first, name order."""
    words = text.split()
    where = " AND ".join(["(' ' || search_key) LIKE ?"] * len(words))
    sql = (f"SELECT id, code, family_name, middle_name, given_name FROM members WHERE {where} "
           "ORDER BY CASE WHEN (' ' || search_key) LIKE ? THEN 0 ELSE 1 END, sort_key, code LIMIT ?")
    return conn.execute(sql, [f"% {w}%" for w in words] + [f"% {' '.join(words)}%", limit]).fetchall()


def run(scale: int, repeat: int) -> list[Result]:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.members import search_members
    from khoi_desktop.core.text import fold

    path = demo_database(scale)
    texts = queries(str(path))
    db = open_database(path)
    conn = sqlite3.connect(path)
    app_times, base_times = [], []
    try:
        with db.reading() as session:
            for text in texts[:10]:  # warm the page cache and the statement caches
                search_members(session, text, TODAY)
                bare_query(conn, fold(text))
            for text in texts:
                app, base = [], []
                for _ in range(max(1, repeat)):
                    start = time.perf_counter()
                    search_members(session, text, TODAY)
                    app.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    bare_query(conn, fold(text))
                    base.append(time.perf_counter() - start)
                app_times.append(min(app) * 1000)  # the best of the tries: the query's own cost
                base_times.append(min(base) * 1000)
    finally:
        conn.close()
        db.close()
    note = (f"{len(texts)} queries (full names, family+given, given name, prefixes), limit 500; "
            "baseline: one raw FTS5 query, sorted")
    return [
        Result("search_p50", percentile(app_times, 50), percentile(base_times, 50), "ms", scale, note=note),
        absolute_target(Result("search_p95", percentile(app_times, 95), percentile(base_times, 95), "ms", scale,
                               note=note), 15),
        Result("search_max", max(app_times), max(base_times), "ms", scale, note=note),
    ]
