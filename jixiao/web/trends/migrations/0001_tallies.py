"""Counts and sums kept by the database for the 历年对比 dashboard, exact on every write (as ``evaluations/0006``).

Six tables, no models (the dashboard reads them with plain SQL, ``trends/figures.py``):

- ``trends_tally``: per (预算单位, year, 评分规则, grade, 主管部门, 财政局) how many live evaluations there are, how many
  of each 复核等级, of each 预算执行率 bin, and the counts and sums (in hundredths of a point) of the 自评, 计算 and
  复核 scores: each over the evaluations that have it, over those that have all three, and the 自评/复核 pairs.
  Read when the dashboard is narrowed to one unit.
- ``trends_departmenttally``: the same per 主管部门 (no unit), read for a 主管部门;
- ``trends_financetally``: the same per 财政局 (no 主管部门), read for a 财政局 as a whole: its five years are a few
  dozen rows, where its 主管部门 are a thousand.
- ``trends_unitgap``: per (财政局, unit, year, 主管部门) the 自评/复核 pairs only, for the list of units whose 自评
  runs above the 复核 (one row per unit and year, not one per grade and rule set as well);
- ``trends_unitgaptotal``: the same per (财政局, unit) over all years and 主管部门: a 财政局's list over every year with
  evaluations, the dashboard's default, is then its five thousand rows as they are, not twenty-five thousand
  unit-years added up per unit.
- ``trends_rectificationtally``: per (财政局, 主管部门, year, state, due date) how many 整改事项 there are; the due date is
  kept for 待整改 items only (to count the overdue ones on any day) and is 9999-12-31 for the others, so that the
  closed ones of a year are one row.

The grade is the computed grade, or ``u`` for 未评分 (``evaluations.unscored``), as in ``evaluations_tally``; the
评分规则 is the document's ``rules`` (``mof-2020`` when absent, as the services read it). Triggers on the records and on
the 整改事项 keep the tables exact in the same transaction as the change, whichever way it is made (the services,
bulk creation, the admin, raw SQL; on PostgreSQL a TRUNCATE empties them). On PostgreSQL each change first takes the
same per-财政局 advisory lock as ``evaluations/0006``, so that every writer of any of these tallies waits in one order.

SQLite note: a later migration that rebuilds ``evaluations_evaluationrecord`` or ``results_rectification`` (Django
does so on SQLite for most field changes) drops their triggers with the old table. After every ``migrate`` the app
looks for them and, when one is missing, builds the tallies again with all their triggers (``trends/tallies.py``).
"""

from __future__ import annotations

from django.db import migrations

RECORD = "evaluations_evaluationrecord"
RECTIFICATION = "results_rectification"

#: 预算执行率 bins (%): lower bound inclusive, upper exclusive (``trends.figures.EXECUTION_BINS``)
EXECUTION_BINS = ((None, 60), (60, 80), (80, 90), (90, 95), (95, 100), (100, None))
REVIEW_GRADES = ("优", "良", "中", "差")
#: the due date kept for an item that is not 待整改
NO_DUE = "9999-12-31"

MEASURES = [
    "n", "rv0", "rv1", "rv2", "rv3", "ex0", "ex1", "ex2", "ex3", "ex4", "ex5",
    "claimed_n", "claimed_c", "computed_n", "computed_c", "review_n", "review_c",
    "all_n", "all_claimed_c", "all_computed_c", "all_review_c", "pair_n", "pair_claimed_c", "pair_review_c",
]  # fmt: skip
GAP_MEASURES = ["pair_n", "pair_claimed_c", "pair_review_c"]

UNIT_KEY = "unit_id, year, rules, grade, department_id, finance_id"
DEPARTMENT_KEY = "finance_id, department_id, year, rules, grade"
FINANCE_KEY = "finance_id, year, rules, grade"
GAP_KEY = "finance_id, unit_id, year, department_id"
TOTAL_KEY = "finance_id, unit_id"
RECTIFICATION_KEY = "finance_id, department_id, year, state, due_date"


def unscored(r: str) -> str:
    return (
        f"({r}.computed_score IS NULL OR ({r}.computed_score = 0 AND {r}.arrival_rate IS NULL "
        f"AND {r}.execution_rate IS NULL))"
    )


def grade(r: str) -> str:
    return f"(CASE WHEN {unscored(r)} THEN 'u' ELSE {r}.computed_grade END)"


def rules(r: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"LEFT(COALESCE({r}.document ->> 'rules', 'mof-2020'), 100)"
    return f"SUBSTR(COALESCE(CAST(json_extract({r}.document, '$.rules') AS TEXT), 'mof-2020'), 1, 100)"


def flag(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def cents(r: str, column: str, condition: str, integer: str) -> str:
    return f"(CASE WHEN {condition} THEN CAST(ROUND({r}.{column} * 100) AS {integer}) ELSE 0 END)"


def measures(r: str, integer: str) -> list[str]:
    """The figures one record adds, in :data:`MEASURES` order."""
    claimed, review = f"{r}.claimed_score IS NOT NULL", f"{r}.review_score IS NOT NULL"
    scored = f"NOT {unscored(r)}"
    every = f"{claimed} AND {review} AND {scored}"
    pair = f"{claimed} AND {review}"
    bins = []
    for low, high in EXECUTION_BINS:
        parts = [f"{r}.execution_rate IS NOT NULL"]
        if low is not None:
            parts.append(f"{r}.execution_rate >= {low}")
        if high is not None:
            parts.append(f"{r}.execution_rate < {high}")
        bins.append(flag(" AND ".join(parts)))
    return [
        "1",
        *(flag(f"{r}.review_grade = '{g}'") for g in REVIEW_GRADES),
        *bins,
        flag(claimed),
        cents(r, "claimed_score", claimed, integer),
        flag(scored),
        cents(r, "computed_score", scored, integer),
        flag(review),
        cents(r, "review_score", review, integer),
        flag(every),
        cents(r, "claimed_score", every, integer),
        cents(r, "computed_score", every, integer),
        cents(r, "review_score", every, integer),
        flag(pair),
        cents(r, "claimed_score", pair, integer),
        cents(r, "review_score", pair, integer),
    ]


def has_pair(r: str) -> str:
    return f"{r}.claimed_score IS NOT NULL AND {r}.review_score IS NOT NULL"


def _org(r: str, column: str) -> str:
    return f"COALESCE({r}.{column}, 0)"


def keys(r: str, vendor: str) -> dict[str, list[str]]:
    unit, department, finance = _org(r, "unit_id"), _org(r, "department_id"), _org(r, "finance_id")
    return {
        "trends_tally": [unit, f"{r}.year", rules(r, vendor), grade(r), department, finance],
        "trends_departmenttally": [finance, department, f"{r}.year", rules(r, vendor), grade(r)],
        "trends_financetally": [finance, f"{r}.year", rules(r, vendor), grade(r)],
        "trends_unitgap": [finance, unit, f"{r}.year", department],
        "trends_unitgaptotal": [finance, unit],
    }


KEY_OF = {
    "trends_tally": UNIT_KEY,
    "trends_departmenttally": DEPARTMENT_KEY,
    "trends_financetally": FINANCE_KEY,
    "trends_unitgap": GAP_KEY,
    "trends_unitgaptotal": TOTAL_KEY,
}


GAP_TABLES = ("trends_unitgap", "trends_unitgaptotal")


def upsert(table: str, key: str, names: list[str]) -> str:
    sets = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in names)
    return f"ON CONFLICT ({key}) DO UPDATE SET {sets}"


def add_record(r: str, sign: str, integer: str, vendor: str, where: str) -> list[str]:
    """Add (sign 1) or take away (-1) record ``r`` in the five record tallies."""
    values = measures(r, integer)
    gap_values = values[MEASURES.index("pair_n") :]
    out = []
    for table, key in keys(r, vendor).items():
        names, figures, condition = MEASURES, values, where
        if table in GAP_TABLES:
            names, figures, condition = GAP_MEASURES, gap_values, f"({where}) AND {has_pair(r)}"
        out.append(
            f"INSERT INTO {table} ({KEY_OF[table]}, {', '.join(names)}) "
            f"SELECT {', '.join(key + [f'{sign} * {v}' for v in figures])} WHERE {condition} "
            + upsert(table, KEY_OF[table], names)
        )
    return out


def due(r: str) -> str:
    # the literal takes the column's type (text on SQLite, date on PostgreSQL)
    return f"(CASE WHEN {r}.state = 'open' THEN {r}.due_date ELSE '{NO_DUE}' END)"


def add_rectification(r: str, sign: str, where: str) -> str:
    due_date = due(r)
    return (
        f"INSERT INTO trends_rectificationtally ({RECTIFICATION_KEY}, n) "
        f"SELECT {_org(r, 'finance_id')}, {_org(r, 'department_id')}, {r}.year, {r}.state, {due_date}, {sign} "
        f"WHERE {where} " + upsert("trends_rectificationtally", RECTIFICATION_KEY, ["n"])
    )


def changed(columns: list[str], distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


#: a change of any of these (or of the document's rules, or of being deleted) moves a record in the tallies
COUNTED = [
    "finance_id", "department_id", "unit_id", "year", "computed_score", "computed_grade", "arrival_rate",
    "execution_rate", "claimed_score", "review_score", "review_grade",
]  # fmt: skip
RECTIFICATION_COUNTED = ["finance_id", "department_id", "year", "state", "due_date"]


def covering(name: str, table: str, key: str, include: bool) -> list[str]:
    """An index on ``key`` that also holds the unit list's figures (and the other filter column)."""
    rest = ", ".join(c for c in ("grade", "rules") if c not in key)
    carried = f"{rest}, {', '.join(GAP_MEASURES)}"
    if include:  # PostgreSQL
        return [f"CREATE INDEX {name} ON {table} ({key}) INCLUDE ({carried})"]
    return [f"CREATE INDEX {name} ON {table} ({key}, {carried})"]


def tables(integer: str, date: str, clustered: str, include: bool) -> list[str]:
    """``clustered``: ``WITHOUT ROWID`` on SQLite, so that the rows of one 财政局 or unit lie together in key order;
    ``include``: PostgreSQL's covering indexes (``INCLUDE``).

    A unit's figures are plain integers (a unit's year would need 200,000 evaluations to pass 2³¹ hundredths of a
    point): PostgreSQL sums those as bigint, where it sums bigint as numeric, several times slower over the tens of
    thousands of unit rows of a 财政局's unit list."""
    figures = ", ".join(f"{m} {integer} NOT NULL" for m in MEASURES)
    unit_figures = ", ".join(f"{m} integer NOT NULL" for m in MEASURES)
    gap_figures = ", ".join(f"{m} integer NOT NULL" for m in GAP_MEASURES)
    org = f"{integer} NOT NULL"
    return [
        f"CREATE TABLE trends_tally (unit_id {org}, year integer NOT NULL, rules varchar(100) NOT NULL, "
        f"grade varchar(2) NOT NULL, department_id {org}, finance_id {org}, {unit_figures}, "
        f"PRIMARY KEY ({UNIT_KEY})){clustered}",
        "CREATE INDEX trends_tally_department ON trends_tally (department_id, year)",
        # a 财政局's unit list under a grade or a rule set: read from the index alone, in unit order
        *covering("trends_tally_finance_grade", "trends_tally", "finance_id, grade, unit_id, year", include),
        *covering("trends_tally_finance_rules", "trends_tally", "finance_id, rules, unit_id, year", include),
        f"CREATE TABLE trends_departmenttally (finance_id {org}, department_id {org}, year integer NOT NULL, "
        f"rules varchar(100) NOT NULL, grade varchar(2) NOT NULL, {figures}, PRIMARY KEY ({DEPARTMENT_KEY})){clustered}",
        "CREATE INDEX trends_departmenttally_department ON trends_departmenttally (department_id, year)",
        f"CREATE TABLE trends_financetally (finance_id {org}, year integer NOT NULL, rules varchar(100) NOT NULL, "
        f"grade varchar(2) NOT NULL, {figures}, PRIMARY KEY ({FINANCE_KEY})){clustered}",
        f"CREATE TABLE trends_unitgap (finance_id {org}, unit_id {org}, year integer NOT NULL, department_id {org}, "
        f"{gap_figures}, PRIMARY KEY ({GAP_KEY})){clustered}",
        "CREATE INDEX trends_unitgap_department ON trends_unitgap (department_id, unit_id, year)",
        f"CREATE TABLE trends_unitgaptotal (finance_id {org}, unit_id {org}, {gap_figures}, "
        f"PRIMARY KEY ({TOTAL_KEY})){clustered}",
        f"CREATE TABLE trends_rectificationtally (finance_id {org}, department_id {org}, year integer NOT NULL, "
        f"state varchar(10) NOT NULL, due_date {date} NOT NULL, n {integer} NOT NULL, "
        f"PRIMARY KEY ({RECTIFICATION_KEY})){clustered}",
        "CREATE INDEX trends_rectificationtally_department ON trends_rectificationtally (department_id, year)",
    ]


def fill(integer: str, vendor: str) -> list[str]:
    """The tallies of the rows already there."""
    values = measures("r", integer)
    gap_values = values[MEASURES.index("pair_n") :]
    out = []
    for table, key in keys("r", vendor).items():
        names, figures, where = MEASURES, values, "r.deleted_at IS NULL"
        if table in GAP_TABLES:
            names, figures, where = GAP_MEASURES, gap_values, f"{where} AND {has_pair('r')}"
        out.append(
            f"INSERT INTO {table} ({KEY_OF[table]}, {', '.join(names)}) "
            f"SELECT {', '.join(key + [f'SUM({v})' for v in figures])} FROM {RECORD} r WHERE {where} "
            f"GROUP BY {', '.join(key)}"
        )
    key = [_org("r", "finance_id"), _org("r", "department_id"), "r.year", "r.state", due("r")]
    out.append(
        f"INSERT INTO trends_rectificationtally ({RECTIFICATION_KEY}, n) SELECT {', '.join(key)}, COUNT(*) "
        f"FROM {RECTIFICATION} r GROUP BY {', '.join(key)}"
    )
    return out


def sqlite() -> list[str]:
    i, v = "integer", "sqlite"
    live_changed = "(OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)"
    rules_changed = f"{rules('OLD', v)} IS NOT {rules('NEW', v)}"
    return [
        *tables(i, "date", " WITHOUT ROWID", False),
        *fill(i, v),
        f"CREATE TRIGGER trends_tally_insert AFTER INSERT ON {RECORD} FOR EACH ROW WHEN NEW.deleted_at IS NULL "
        f"BEGIN {'; '.join(add_record('NEW', '1', i, v, '1 = 1'))}; END",
        f"CREATE TRIGGER trends_tally_delete AFTER DELETE ON {RECORD} FOR EACH ROW WHEN OLD.deleted_at IS NULL "
        f"BEGIN {'; '.join(add_record('OLD', '-1', i, v, '1 = 1'))}; END",
        # the rules are compared last: reading them parses both documents, and most saves change a counted column
        f"CREATE TRIGGER trends_tally_update AFTER UPDATE ON {RECORD} FOR EACH ROW "
        f"WHEN {changed(COUNTED, 'IS NOT')} OR {live_changed} OR {rules_changed} BEGIN "
        + "; ".join(
            add_record("OLD", "-1", i, v, "OLD.deleted_at IS NULL")
            + add_record("NEW", "1", i, v, "NEW.deleted_at IS NULL")
        )
        + "; END",
        f"CREATE TRIGGER trends_rectification_insert AFTER INSERT ON {RECTIFICATION} FOR EACH ROW "
        f"BEGIN {add_rectification('NEW', '1', '1 = 1')}; END",
        f"CREATE TRIGGER trends_rectification_delete AFTER DELETE ON {RECTIFICATION} FOR EACH ROW "
        f"BEGIN {add_rectification('OLD', '-1', '1 = 1')}; END",
        f"CREATE TRIGGER trends_rectification_update AFTER UPDATE ON {RECTIFICATION} FOR EACH ROW "
        f"WHEN {changed(RECTIFICATION_COUNTED, 'IS NOT')} BEGIN "
        f"{add_rectification('OLD', '-1', '1 = 1')}; {add_rectification('NEW', '1', '1 = 1')}; END",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS trends_tally_insert",
    "DROP TRIGGER IF EXISTS trends_tally_delete",
    "DROP TRIGGER IF EXISTS trends_tally_update",
    "DROP TRIGGER IF EXISTS trends_rectification_insert",
    "DROP TRIGGER IF EXISTS trends_rectification_delete",
    "DROP TRIGGER IF EXISTS trends_rectification_update",
    "DROP TABLE IF EXISTS trends_tally",
    "DROP TABLE IF EXISTS trends_departmenttally",
    "DROP TABLE IF EXISTS trends_financetally",
    "DROP TABLE IF EXISTS trends_unitgap",
    "DROP TABLE IF EXISTS trends_unitgaptotal",
    "DROP TABLE IF EXISTS trends_rectificationtally",
]

#: the per-财政局 lock of evaluations/0006 (same key): taken before any shared row is touched
LOCK = "PERFORM pg_advisory_xact_lock(727401, CAST(COALESCE({r}.finance_id, 0) AS integer));"


def postgresql() -> list[str]:
    i, v = "bigint", "postgresql"
    record_function = f"""
CREATE FUNCTION trends_tally_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {LOCK.format(r="OLD")} END IF;
  IF TG_OP <> 'DELETE' THEN {LOCK.format(r="NEW")} END IF;
  IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
    {"; ".join(add_record("OLD", "-1", i, v, "true"))};
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
    {"; ".join(add_record("NEW", "1", i, v, "true"))};
  END IF;
  RETURN NULL;
END $$"""
    rectification_function = f"""
CREATE FUNCTION trends_tally_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {LOCK.format(r="OLD")} END IF;
  IF TG_OP <> 'DELETE' THEN {LOCK.format(r="NEW")} END IF;
  IF TG_OP <> 'INSERT' THEN {add_rectification("OLD", "-1", "true")}; END IF;
  IF TG_OP <> 'DELETE' THEN {add_rectification("NEW", "1", "true")}; END IF;
  RETURN NULL;
END $$"""
    # TRUNCATE (Django's flush on PostgreSQL) fires no row trigger: it empties the tallies with the rows
    truncate_function = f"""
CREATE FUNCTION trends_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = '{RECORD}' THEN
    DELETE FROM trends_tally; DELETE FROM trends_departmenttally; DELETE FROM trends_financetally;
    DELETE FROM trends_unitgap; DELETE FROM trends_unitgaptotal;
  ELSE
    DELETE FROM trends_rectificationtally;
  END IF;
  RETURN NULL;
END $$"""
    live_changed = "(OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL)"
    rules_changed = f"{rules('OLD', v)} IS DISTINCT FROM {rules('NEW', v)}"
    return [
        *tables(i, "date", "", True),
        *fill(i, v),
        record_function,
        rectification_function,
        truncate_function,
        f"CREATE TRIGGER trends_tally_record AFTER INSERT OR DELETE ON {RECORD} FOR EACH ROW "
        "EXECUTE FUNCTION trends_tally_record()",
        f"CREATE TRIGGER trends_tally_record_update AFTER UPDATE ON {RECORD} FOR EACH ROW "
        f"WHEN ({changed(COUNTED, 'IS DISTINCT FROM')} OR {live_changed} OR {rules_changed}) "
        "EXECUTE FUNCTION trends_tally_record()",
        f"CREATE TRIGGER trends_tally_rectification AFTER INSERT OR DELETE ON {RECTIFICATION} FOR EACH ROW "
        "EXECUTE FUNCTION trends_tally_rectification()",
        f"CREATE TRIGGER trends_tally_rectification_update AFTER UPDATE ON {RECTIFICATION} FOR EACH ROW "
        f"WHEN ({changed(RECTIFICATION_COUNTED, 'IS DISTINCT FROM')}) EXECUTE FUNCTION trends_tally_rectification()",
        f"CREATE TRIGGER trends_tally_truncate AFTER TRUNCATE ON {RECORD} "
        "FOR EACH STATEMENT EXECUTE FUNCTION trends_tally_truncate()",
        f"CREATE TRIGGER trends_tally_rectification_truncate AFTER TRUNCATE ON {RECTIFICATION} "
        "FOR EACH STATEMENT EXECUTE FUNCTION trends_tally_truncate()",
    ]


POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS trends_tally_record ON {RECORD}",
    f"DROP TRIGGER IF EXISTS trends_tally_record_update ON {RECORD}",
    f"DROP TRIGGER IF EXISTS trends_tally_truncate ON {RECORD}",
    f"DROP TRIGGER IF EXISTS trends_tally_rectification ON {RECTIFICATION}",
    f"DROP TRIGGER IF EXISTS trends_tally_rectification_update ON {RECTIFICATION}",
    f"DROP TRIGGER IF EXISTS trends_tally_rectification_truncate ON {RECTIFICATION}",
    "DROP FUNCTION IF EXISTS trends_tally_record()",
    "DROP FUNCTION IF EXISTS trends_tally_rectification()",
    "DROP FUNCTION IF EXISTS trends_tally_truncate()",
    "DROP TABLE IF EXISTS trends_tally",
    "DROP TABLE IF EXISTS trends_departmenttally",
    "DROP TABLE IF EXISTS trends_financetally",
    "DROP TABLE IF EXISTS trends_unitgap",
    "DROP TABLE IF EXISTS trends_unitgaptotal",
    "DROP TABLE IF EXISTS trends_rectificationtally",
]


def forwards(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    statements = postgresql() if connection.vendor == "postgresql" else sqlite()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def backwards(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    statements = POSTGRESQL_DROP if connection.vendor == "postgresql" else SQLITE_DROP
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_order_indexes_end_with_id"),
        # after the 整改事项 table took its last new column: on SQLite AddField rebuilds the table, dropping triggers
        # (apps.py re-creates them after any later migration that does so)
        ("results", "0002_rectification_return"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
