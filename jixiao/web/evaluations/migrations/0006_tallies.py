"""Counts kept by the database itself, for the overview, the lists and a task's progress board at a province's scale.

``evaluations_tally`` holds, per (财政局, 主管部门, year, task, status, grade), how many live evaluations there are and
every figure the overview and the board add up (errors, gaps, score bins, sums of the comparable scores in
hundredths of a point). ``evaluations_findingtally`` holds, per (level, 财政局 or 主管部门, year, status, grade, check
id), how many live evaluations have the finding, how often it occurs and how often as an error. The grade is the
computed grade, or ``u`` for 未评分 (the rule of ``unscored.UNSCORED``).

Triggers on the records and their stored findings keep both exact in the same transaction as the change, whichever
way it is made (the services, bulk creation, the admin, raw SQL, and on PostgreSQL a TRUNCATE, which empties them). On PostgreSQL each change first takes a
transaction-level advisory lock per 财政局, so that two saves never update the shared rows in opposite orders
(no deadlocks; saves within one 财政局 commit one after the other from their first counted change on).
"""

from __future__ import annotations

from django.db import migrations, models

RECORD = "evaluations_evaluationrecord"
FINDING = "evaluations_storedfinding"


def unscored(r: str) -> str:
    return (
        f"({r}.computed_score IS NULL OR ({r}.computed_score = 0 AND {r}.arrival_rate IS NULL "
        f"AND {r}.execution_rate IS NULL))"
    )


def grade(r: str) -> str:
    return f"(CASE WHEN {unscored(r)} THEN 'u' ELSE {r}.computed_grade END)"


def flag(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def gap(r: str, other: str) -> str:
    # as overview._gap: both filled in and more than 0.5 apart (0.505: SQLite compares the stored decimals as floats)
    return flag(
        f"NOT {unscored(r)} AND ({r}.{other} > {r}.computed_score + 0.505 OR {r}.{other} < {r}.computed_score - 0.505)"
    )


BINS = ((None, 60), (60, 70), (70, 80), (80, 90), (90, None))  # overview.BINS


def binned(r: str, low: int | None, high: int | None) -> str:
    parts = [f"NOT {unscored(r)}", f"{r}.computed_score IS NOT NULL"]
    if low is not None:
        parts.append(f"{r}.computed_score >= {low}")
    if high is not None:
        parts.append(f"{r}.computed_score < {high}")
    return flag(" AND ".join(parts))


def comparable(r: str) -> str:
    # board.COMPARABLE
    return f"({r}.claimed_score IS NOT NULL AND {r}.computed_score IS NOT NULL AND NOT {unscored(r)})"


def cents(r: str, column: str, integer: str) -> str:
    return f"(CASE WHEN {comparable(r)} THEN CAST(ROUND({r}.{column} * 100) AS {integer}) ELSE 0 END)"


KEY = "finance_id, department_id, year, task_id, status, grade"
MEASURES = [
    "n", "with_errors", "claim_gap", "review_gap", "bin0", "bin1", "bin2", "bin3", "bin4", "comparable",
    "claimed_c", "computed_c",
]  # fmt: skip
FKEY = "level, scope_id, year, status, grade, code"
FMEASURES = ["records", "occurrences", "errors"]


def measures(r: str, sign: str, integer: str) -> list[str]:
    values = [
        "1",
        flag(f"{r}.error_count > 0"),
        gap(r, "claimed_score"),
        gap(r, "review_score"),
        *(binned(r, low, high) for low, high in BINS),
        flag(comparable(r)),
        cents(r, "claimed_score", integer),
        cents(r, "computed_score", integer),
    ]
    return [f"{sign} * {v}" for v in values]


def key(r: str) -> list[str]:
    return [
        f"COALESCE({r}.finance_id, 0)",
        f"COALESCE({r}.department_id, 0)",
        f"{r}.year",
        f"COALESCE({r}.task_id, 0)",
        f"{r}.status",
        grade(r),
    ]


def upsert(table: str, keys: str, names: list[str]) -> str:
    sets = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in names)
    return f"ON CONFLICT ({keys}) DO UPDATE SET {sets}"


def add_record(r: str, sign: str, integer: str, where: str) -> str:
    """Add (sign 1) or take away (-1) record ``r`` in evaluations_tally."""
    return (
        f"INSERT INTO evaluations_tally ({KEY}, {', '.join(MEASURES)}) "
        f"SELECT {', '.join(key(r) + measures(r, sign, integer))} WHERE {where} "
        + upsert("evaluations_tally", KEY, MEASURES)
    )


def add_findings_of(r: str, sign: str, where: str) -> list[str]:
    """Add or take away all stored findings of record ``r`` (its key changed), at both levels."""
    out = []
    for level, scope in (("f", "finance_id"), ("d", "department_id")):
        out.append(
            f"INSERT INTO evaluations_findingtally ({FKEY}, {', '.join(FMEASURES)}) "
            f"SELECT '{level}', COALESCE({r}.{scope}, 0), {r}.year, {r}.status, {grade(r)}, s.code, {sign} * 1, "
            f"{sign} * COUNT(*), {sign} * SUM(CASE WHEN s.severity = 'error' THEN 1 ELSE 0 END) "
            f"FROM {FINDING} s WHERE s.record_id = {r}.id AND {where} GROUP BY s.code "
            + upsert("evaluations_findingtally", FKEY, FMEASURES)
        )
    return out


def add_finding(f: str, sign: str, others: str) -> list[str]:
    """Add or take away one stored finding ``f``; ``others`` tells whether the record has another of the same id."""
    out = []
    for level, scope in (("f", "finance_id"), ("d", "department_id")):
        out.append(
            f"INSERT INTO evaluations_findingtally ({FKEY}, {', '.join(FMEASURES)}) "
            f"SELECT '{level}', COALESCE(r.{scope}, 0), r.year, r.status, {grade('r')}, {f}.code, "
            f"{sign} * (CASE WHEN EXISTS ({others}) THEN 0 ELSE 1 END), {sign} * 1, "
            f"{sign} * (CASE WHEN {f}.severity = 'error' THEN 1 ELSE 0 END) "
            f"FROM {RECORD} r WHERE r.id = {f}.record_id AND r.deleted_at IS NULL "
            + upsert("evaluations_findingtally", FKEY, FMEASURES)
        )
    return out


def changed(columns: list[str], distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


COUNTED = [
    "finance_id", "department_id", "year", "task_id", "status", "computed_score", "computed_grade", "arrival_rate",
    "execution_rate", "claimed_score", "review_score", "error_count",
]  # fmt: skip
#: a change of any of these moves the record's findings to another key
KEYED = ["finance_id", "department_id", "year", "status", "computed_score", "computed_grade", "arrival_rate",
         "execution_rate"]  # fmt: skip


def tables(integer: str) -> list[str]:
    figures = ", ".join(f"{m} {integer} NOT NULL" for m in MEASURES)
    ffigures = ", ".join(f"{m} {integer} NOT NULL" for m in FMEASURES)
    return [
        f"CREATE TABLE evaluations_tally (finance_id {integer} NOT NULL, department_id {integer} NOT NULL, "
        f"year integer NOT NULL, task_id {integer} NOT NULL, status varchar(30) NOT NULL, grade varchar(2) NOT NULL, "
        f"{figures}, PRIMARY KEY ({KEY}))",
        f"CREATE TABLE evaluations_findingtally (level char(1) NOT NULL, scope_id {integer} NOT NULL, "
        f"year integer NOT NULL, status varchar(30) NOT NULL, grade varchar(2) NOT NULL, code varchar(4) NOT NULL, "
        f"{ffigures}, PRIMARY KEY ({FKEY}))",
    ]


def fill(integer: str) -> list[str]:
    """The tallies of the records already there."""
    sums = ", ".join(f"SUM({v.removeprefix('1 * ')})" for v in measures("r", "1", integer))
    out = [
        f"INSERT INTO evaluations_tally ({KEY}, {', '.join(MEASURES)}) SELECT {', '.join(key('r'))}, {sums} "
        f"FROM {RECORD} r WHERE r.deleted_at IS NULL GROUP BY {', '.join(key('r'))}"
    ]
    for level, scope in (("f", "finance_id"), ("d", "department_id")):
        fkey = [f"'{level}'", f"COALESCE(r.{scope}, 0)", "r.year", "r.status", grade("r"), "s.code"]
        out.append(
            f"INSERT INTO evaluations_findingtally ({FKEY}, {', '.join(FMEASURES)}) SELECT {', '.join(fkey)}, "
            "COUNT(DISTINCT s.record_id), COUNT(*), SUM(CASE WHEN s.severity = 'error' THEN 1 ELSE 0 END) "
            f"FROM {FINDING} s JOIN {RECORD} r ON r.id = s.record_id WHERE r.deleted_at IS NULL "
            f"GROUP BY {', '.join(fkey[1:])}"
        )
    return out


def sqlite() -> list[str]:
    i = "integer"
    record_change = (
        f"CREATE TRIGGER evaluations_tally_update AFTER UPDATE ON {RECORD} FOR EACH ROW "
        f"WHEN {changed(COUNTED, 'IS NOT')} OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL) BEGIN "
        + "; ".join(
            [
                add_record("OLD", "-1", i, "OLD.deleted_at IS NULL"),
                add_record("NEW", "1", i, "NEW.deleted_at IS NULL"),
                *add_findings_of(
                    "OLD",
                    "-1",
                    f"OLD.deleted_at IS NULL AND ({changed(KEYED, 'IS NOT')} OR NEW.deleted_at IS NOT NULL)",
                ),
                *add_findings_of(
                    "NEW",
                    "1",
                    f"NEW.deleted_at IS NULL AND ({changed(KEYED, 'IS NOT')} OR OLD.deleted_at IS NOT NULL)",
                ),
            ]
        )
        + "; END"
    )
    same = f"SELECT 1 FROM {FINDING} o WHERE o.record_id = {{f}}.record_id AND o.code = {{f}}.code AND o.id <> {{f}}.id"
    return [
        *tables(i),
        *fill(i),
        f"CREATE TRIGGER evaluations_tally_insert AFTER INSERT ON {RECORD} FOR EACH ROW WHEN NEW.deleted_at IS NULL "
        f"BEGIN {add_record('NEW', '1', i, 'true')}; END",
        f"CREATE TRIGGER evaluations_tally_delete AFTER DELETE ON {RECORD} FOR EACH ROW WHEN OLD.deleted_at IS NULL "
        f"BEGIN {add_record('OLD', '-1', i, 'true')}; END",
        record_change,
        # per row, as each row is written: the other findings of the record are those still (or already) there
        f"CREATE TRIGGER evaluations_findingtally_insert AFTER INSERT ON {FINDING} FOR EACH ROW BEGIN "
        + "; ".join(add_finding("NEW", "1", same.format(f="NEW")))
        + "; END",
        f"CREATE TRIGGER evaluations_findingtally_delete AFTER DELETE ON {FINDING} FOR EACH ROW BEGIN "
        + "; ".join(add_finding("OLD", "-1", same.format(f="OLD")))
        + "; END",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS evaluations_tally_insert",
    "DROP TRIGGER IF EXISTS evaluations_tally_delete",
    "DROP TRIGGER IF EXISTS evaluations_tally_update",
    "DROP TRIGGER IF EXISTS evaluations_findingtally_insert",
    "DROP TRIGGER IF EXISTS evaluations_findingtally_delete",
    "DROP TABLE IF EXISTS evaluations_tally",
    "DROP TABLE IF EXISTS evaluations_findingtally",
]

#: one lock per 财政局 for the rest of the transaction, taken before any shared row is touched
LOCK = "PERFORM pg_advisory_xact_lock(727401, CAST(COALESCE({r}.finance_id, 0) AS integer));"


def _finding_function(event: str, rows: str, sign: str, before: str) -> str:
    """The statement-level trigger function for inserted (or deleted) findings, given as the transition table
    ``rows``. After the statement the table holds what is left; a record counts once per check id: it is added when
    it had no finding of that id before the statement (the ones there now, less those just inserted), and taken away
    when it has none left."""
    grouped = (
        f"SELECT t.record_id, t.code, COUNT(*) AS n, SUM(CASE WHEN t.severity = 'error' THEN 1 ELSE 0 END) AS errors, "
        f"(SELECT COUNT(*) FROM {FINDING} o WHERE o.record_id = t.record_id AND o.code = t.code) {before} AS other "
        f"FROM {rows} t GROUP BY t.record_id, t.code"
    )
    inserts = []
    for level, scope in (("f", "finance_id"), ("d", "department_id")):
        inserts.append(
            f"INSERT INTO evaluations_findingtally ({FKEY}, {', '.join(FMEASURES)}) "
            f"SELECT '{level}', COALESCE(r.{scope}, 0), r.year, r.status, {grade('r')}, g.code, "
            f"{sign} * SUM(CASE WHEN g.other = 0 THEN 1 ELSE 0 END), {sign} * SUM(g.n), {sign} * SUM(g.errors) "
            f"FROM ({grouped}) g JOIN {RECORD} r ON r.id = g.record_id AND r.deleted_at IS NULL "
            f"GROUP BY COALESCE(r.{scope}, 0), r.year, r.status, {grade('r')}, g.code "
            + upsert("evaluations_findingtally", FKEY, FMEASURES)
        )
    return f"""
CREATE FUNCTION evaluations_tally_finding_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727401, CAST(f AS integer)) FROM (SELECT DISTINCT COALESCE(r.finance_id, 0) AS f
    FROM {rows} t JOIN {RECORD} r ON r.id = t.record_id ORDER BY 1) AS finances;
  {"; ".join(inserts)};
  RETURN NULL;
END $$"""


def postgresql() -> list[str]:
    i = "bigint"
    keyed = changed(KEYED, "IS DISTINCT FROM")
    record_function = f"""
CREATE FUNCTION evaluations_tally_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {LOCK.format(r="OLD")} END IF;
  IF TG_OP <> 'DELETE' THEN {LOCK.format(r="NEW")} END IF;
  IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
    {add_record("OLD", "-1", i, "true")};
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
    {add_record("NEW", "1", i, "true")};
  END IF;
  IF TG_OP = 'UPDATE' AND ({keyed} OR (OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL)) THEN
    IF OLD.deleted_at IS NULL THEN
      {"; ".join(add_findings_of("OLD", "-1", "true"))};
    END IF;
    IF NEW.deleted_at IS NULL THEN
      {"; ".join(add_findings_of("NEW", "1", "true"))};
    END IF;
  END IF;
  RETURN NULL;
END $$"""
    # once per statement, over its transition table: a save replaces some thirty findings in two statements
    finding_functions = [
        _finding_function("insert", "new_rows", "1", "- COUNT(*)"),
        _finding_function("delete", "old_rows", "-1", ""),
    ]
    # TRUNCATE (Django's flush does it on PostgreSQL) fires no row trigger: it empties the counts with the rows
    truncate_function = f"""
CREATE FUNCTION evaluations_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = '{RECORD}' THEN DELETE FROM evaluations_tally; END IF;
  DELETE FROM evaluations_findingtally;
  RETURN NULL;
END $$"""
    return [
        *tables(i),
        *fill(i),
        record_function,
        *finding_functions,
        truncate_function,
        f"CREATE TRIGGER evaluations_tally_truncate AFTER TRUNCATE ON {RECORD} "
        "FOR EACH STATEMENT EXECUTE FUNCTION evaluations_tally_truncate()",
        f"CREATE TRIGGER evaluations_findingtally_truncate AFTER TRUNCATE ON {FINDING} "
        "FOR EACH STATEMENT EXECUTE FUNCTION evaluations_tally_truncate()",
        f"CREATE TRIGGER evaluations_tally_record AFTER INSERT OR DELETE ON {RECORD} FOR EACH ROW "
        "EXECUTE FUNCTION evaluations_tally_record()",
        f"CREATE TRIGGER evaluations_tally_record_update AFTER UPDATE ON {RECORD} FOR EACH ROW "
        f"WHEN ({changed(COUNTED, 'IS DISTINCT FROM')} OR (OLD.deleted_at IS NULL) IS DISTINCT FROM "
        "(NEW.deleted_at IS NULL)) EXECUTE FUNCTION evaluations_tally_record()",
        f"CREATE TRIGGER evaluations_tally_finding_insert AFTER INSERT ON {FINDING} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION evaluations_tally_finding_insert()",
        f"CREATE TRIGGER evaluations_tally_finding_delete AFTER DELETE ON {FINDING} REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION evaluations_tally_finding_delete()",
    ]


POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS evaluations_tally_record ON {RECORD}",
    f"DROP TRIGGER IF EXISTS evaluations_tally_record_update ON {RECORD}",
    f"DROP TRIGGER IF EXISTS evaluations_tally_finding_insert ON {FINDING}",
    f"DROP TRIGGER IF EXISTS evaluations_tally_finding_delete ON {FINDING}",
    f"DROP TRIGGER IF EXISTS evaluations_tally_truncate ON {RECORD}",
    f"DROP TRIGGER IF EXISTS evaluations_findingtally_truncate ON {FINDING}",
    "DROP FUNCTION IF EXISTS evaluations_tally_truncate()",
    "DROP FUNCTION IF EXISTS evaluations_tally_record()",
    "DROP FUNCTION IF EXISTS evaluations_tally_finding_insert()",
    "DROP FUNCTION IF EXISTS evaluations_tally_finding_delete()",
    "DROP TABLE IF EXISTS evaluations_tally",
    "DROP TABLE IF EXISTS evaluations_findingtally",
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
        ("evaluations", "0005_several_sources_per_record"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="evaluationrecord",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["task", "unit", "status", "department"],
                name="record_task_unit",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
