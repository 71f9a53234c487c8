"""Member search on a server office: a table of name-word prefixes in Vietnamese name order.

`member_terms` (migration 0021, PostgreSQL only) holds, for every member, each prefix of each word of the
folded name (`search_key`: 'nguyen van an' -> n, ng, ngu, …, nguyen, v, va, van, a, an) with the member's
`sort_key` and `code` (byte order, "C", as SQLite compares them) and, beside them in the index (INCLUDE), its
id and folded name. Its primary key (term, sort_key, code) is a btree: "the members having this prefix, in
name order" is an index range read in order, stopped at the limit, as SQLite's FTS5 index walks its lists
(core/engines/sqlite_search.py), and exact (no sort of the matches, no ties to resolve). The other words
typed are checked on the folded name in the same index entry: no member row is read to find the 500.
`member_term_counts` holds how many members have each prefix: the rarest typed word's list is walked.
Triggers on `members` keep both in step with every writer (statement-level for inserts and deletes: a bulk
load or COPY pays one statement, not one per row).

`member_search(...)` (a PL/pgSQL function, same migration) returns the members whose code, party card or
CCCD number is the one word typed, then the first `limit` having the words in the order typed (' ' ||
search_key LIKE '% w1 w2 w3%'), then the first others having every word (LIKE '% w%' each), as many as
still wanted; `_SEARCH` reads them with their rows in one statement: one round trip per search.
"""

from __future__ import annotations

from typing import Any

# The search (see the module's text): the ids to show, each marked as found by its code or number (named) or
# having the words in the order typed (in_phrase); the caller sorts them as the SQLite search does.
SEARCH_FUNCTION = """
CREATE FUNCTION member_search(words text[], phrase text, likes text[], lim integer, typed text, typed_upper text)
RETURNS TABLE (member_id integer, named boolean, in_phrase boolean) LANGUAGE plpgsql STABLE ROWS 100 AS $$
DECLARE
    driver text; p integer[] := '{}'; q integer[] := '{}'; named_ids integer[] := '{}';
BEGIN
    IF typed IS NOT NULL THEN  -- one word typed: a member's code (as typed or in capitals), card or CCCD
        named_ids := ARRAY(SELECT m.id FROM members AS m WHERE m.code IN (typed, typed_upper)
                           OR m.card_number = typed OR m.national_id = typed);
        RETURN QUERY SELECT x, true, false FROM unnest(named_ids) AS x;
    END IF;
    -- The rarest word's list drives (the longest among equals); the others are checked on the folded name
    -- beside each entry: `likes` (one LIKE pattern a word typed: it starts a word of the name), `phrase`
    -- (the words typed in that order, the last one a prefix; NULL: one word, its list is the answer).
    SELECT x INTO driver FROM unnest(words) AS x LEFT JOIN member_term_counts AS c ON c.term = x
        ORDER BY coalesce(c.n, 0), length(x) DESC, x LIMIT 1;
    IF phrase IS NULL THEN
        p := ARRAY(SELECT t.id FROM member_terms AS t WHERE t.term = driver AND NOT (t.id = ANY(named_ids))
                   ORDER BY t.sort_key, t.code LIMIT lim);
    ELSE
        p := ARRAY(SELECT t.id FROM member_terms AS t WHERE t.term = driver AND t.key LIKE phrase
                   AND NOT (t.id = ANY(named_ids)) ORDER BY t.sort_key, t.code LIMIT lim);
        IF cardinality(p) < lim THEN  -- then those having every word, not in the order typed
            q := ARRAY(SELECT t.id FROM member_terms AS t WHERE t.term = driver AND t.key LIKE ALL (likes)
                       AND t.key NOT LIKE phrase AND NOT (t.id = ANY(named_ids)) ORDER BY t.sort_key, t.code
                       LIMIT lim - cardinality(p));
        END IF;
    END IF;
    RETURN QUERY SELECT x, false, true FROM unnest(p) AS x UNION ALL SELECT x, false, false FROM unnest(q) AS x;
END $$"""

_ADD_KEY = ("ALTER TABLE member_terms ADD CONSTRAINT member_terms_pkey PRIMARY KEY (term, sort_key, code) "
            "INCLUDE (id, key)")
_DROP_KEY = "ALTER TABLE member_terms DROP CONSTRAINT member_terms_pkey"
_ADDED = ("INSERT INTO member_terms (term, sort_key, code, id, key) SELECT p, n.sort_key, n.code, n.id, "
          "' ' || n.search_key FROM added AS n, member_prefixes(n.search_key) AS p")
_BULK = 5_000  # members inserted at once into an empty index: its key made after them

CREATE = [
    'CREATE TABLE member_terms (term text COLLATE "C" NOT NULL, sort_key text COLLATE "C" NOT NULL, '
    'code text COLLATE "C" NOT NULL, id integer NOT NULL, key text NOT NULL)',
    _ADD_KEY,
    'CREATE TABLE member_term_counts (term text COLLATE "C" PRIMARY KEY, n integer NOT NULL)',
    # Each prefix of each word of a folded name, once.
    "CREATE FUNCTION member_prefixes(key text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    "SELECT DISTINCT left(w, n) FROM unnest(string_to_array(key, ' ')) AS w, generate_series(1, length(w)) AS n "
    "WHERE w <> '' $$",
    # A bulk load into an empty index (a move onto the server, a restore into one: one COPY of every member)
    # builds its key after the rows (a sort), not entry by entry: 30 s -> 12 s at scale 20.
    "CREATE FUNCTION member_terms_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF NOT EXISTS (SELECT 1 FROM member_terms) AND (SELECT count(*) FROM added) > {_BULK} THEN "
    f"{_DROP_KEY}; {_ADDED}; {_ADD_KEY}; ELSE {_ADDED}; END IF; "
    "INSERT INTO member_term_counts AS c (term, n) SELECT p, count(*) FROM added AS n, "
    "member_prefixes(n.search_key) AS p GROUP BY p ON CONFLICT (term) DO UPDATE SET n = c.n + excluded.n; "
    "RETURN NULL; END $$",
    "CREATE FUNCTION member_terms_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM member_terms AS t USING removed AS o, member_prefixes(o.search_key) AS p "
    "WHERE t.term = p AND t.sort_key = o.sort_key AND t.code = o.code; "
    "UPDATE member_term_counts AS c SET n = c.n - g.k FROM (SELECT p, count(*) AS k FROM removed AS o, "
    "member_prefixes(o.search_key) AS p GROUP BY p) AS g WHERE c.term = g.p; RETURN NULL; END $$",
    "CREATE FUNCTION member_terms_renamed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM member_terms WHERE sort_key = OLD.sort_key AND code = OLD.code "
    "AND term IN (SELECT member_prefixes(OLD.search_key)); "
    "INSERT INTO member_terms (term, sort_key, code, id, key) SELECT p, NEW.sort_key, NEW.code, NEW.id, "
    "' ' || NEW.search_key FROM member_prefixes(NEW.search_key) AS p; "
    "UPDATE member_term_counts SET n = n - 1 WHERE term IN (SELECT member_prefixes(OLD.search_key)); "
    "INSERT INTO member_term_counts AS c (term, n) SELECT p, 1 FROM member_prefixes(NEW.search_key) AS p "
    "ON CONFLICT (term) DO UPDATE SET n = c.n + 1; RETURN NULL; END $$",
    "CREATE FUNCTION member_terms_emptied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM member_terms; DELETE FROM member_term_counts; RETURN NULL; END $$",
    SEARCH_FUNCTION,
    "CREATE TRIGGER member_terms_insert AFTER INSERT ON members REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION member_terms_added()",
    "CREATE TRIGGER member_terms_delete AFTER DELETE ON members REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION member_terms_removed()",
    "CREATE TRIGGER member_terms_update AFTER UPDATE OF id, code, search_key, sort_key ON members FOR EACH ROW "
    "WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.code IS DISTINCT FROM NEW.code "
    "OR OLD.search_key IS DISTINCT FROM NEW.search_key OR OLD.sort_key IS DISTINCT FROM NEW.sort_key) "
    "EXECUTE FUNCTION member_terms_renamed()",
    "CREATE TRIGGER member_terms_truncate AFTER TRUNCATE ON members FOR EACH STATEMENT "
    "EXECUTE FUNCTION member_terms_emptied()",
]
FILL = [
    _DROP_KEY,
    "INSERT INTO member_terms (term, sort_key, code, id, key) SELECT p, m.sort_key, m.code, m.id, "
    "' ' || m.search_key FROM members AS m, member_prefixes(m.search_key) AS p",
    _ADD_KEY,
    "INSERT INTO member_term_counts (term, n) SELECT term, count(*) FROM member_terms GROUP BY term",
]
DROP = [
    "DROP TRIGGER IF EXISTS member_terms_truncate ON members",
    "DROP TRIGGER IF EXISTS member_terms_update ON members",
    "DROP TRIGGER IF EXISTS member_terms_delete ON members",
    "DROP TRIGGER IF EXISTS member_terms_insert ON members",
    "DROP FUNCTION IF EXISTS member_search(text[], text, text[], integer, text, text)",
    "DROP FUNCTION IF EXISTS member_terms_emptied()",
    "DROP FUNCTION IF EXISTS member_terms_renamed()",
    "DROP FUNCTION IF EXISTS member_terms_removed()",
    "DROP FUNCTION IF EXISTS member_terms_added()",
    "DROP FUNCTION IF EXISTS member_prefixes(text)",
    "DROP TABLE IF EXISTS member_term_counts",
    "DROP TABLE IF EXISTS member_terms",
]


def is_index_table(name: str | None) -> bool:
    """The server's search tables, made by migration 0021, not described by the models (schema.METADATA)."""
    return name in ("member_terms", "member_term_counts")


# The rows search_members shows (members._COLUMNS, dates as the driver gives them) with the search's marks,
# and whether an exemption event exists (then the rows' status needs the earlier exemption periods). One
# statement: one round trip.
_SEARCH = (
    "WITH f AS MATERIALIZED (SELECT * FROM member_search(%(words)s::text[], %(phrase)s::text, %(likes)s::text[], "
    "%(lim)s::integer, %(typed)s::text, %(upper)s::text)) "
    "SELECT m.id, m.code, m.family_name, m.middle_name, m.given_name, m.sort_key, m.sex::text, m.birth_date, "
    "m.full_member_on, m.exempt_since, m.exempt_until, m.job_title, o.code, o.name, f.named, f.in_phrase, "
    # The kinds as literals: a parameter (text against the column's varchar) made a generic plan read every event.
    "EXISTS (SELECT 1 FROM member_events WHERE kind IN ({kinds})) "
    "FROM members AS m JOIN f ON f.member_id = m.id "
    "LEFT JOIN memberships AS ms ON ms.member_id = m.id AND ms.valid_from <= %(day)s::date "
    "AND (ms.valid_to IS NULL OR ms.valid_to > %(day)s::date) LEFT JOIN organizations AS o ON o.id = ms.org_id "
    # The members by their ids (an index scan of those ids, never a scan of every member to hash).
    "WHERE m.id = ANY(ARRAY(SELECT member_id FROM f))")
_SEARCHES: dict[tuple[str, ...], str] = {}


def _like(words: str) -> str:
    """' ' || search_key LIKE this: the words start a word of the name (the last one a prefix)."""
    return "% " + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(connection: Any, words: list[str], typed: str | None, day: Any, limit: int,
           kinds: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of a member search (`_SEARCH`) through the session's own psycopg connection: `words` folded
    as typed, `typed` the text when it is one word (a code or number) else None, `kinds` the exemption's
    event kinds. Each row: members._COLUMNS' values, named, in_phrase, whether any such event exists."""
    distinct = list(dict.fromkeys(words))
    params = {"words": distinct, "phrase": _like(" ".join(words)) if len(words) > 1 else None,
              "likes": [_like(word) for word in distinct], "lim": limit, "typed": typed,
              "upper": typed.upper() if typed else None, "day": day}
    sql = _SEARCHES.get(kinds)
    if sql is None:
        sql = _SEARCHES[kinds] = _SEARCH.replace("{kinds}", ", ".join("'" + k.replace("'", "''") + "'"
                                                                        for k in kinds))
    from khoi_desktop.core.engines.postgres import plans_at_default

    plans_at_default(connection)
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()  # type: ignore[no-any-return]
