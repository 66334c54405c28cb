"""The history database's schema: versioned migration steps and the SQL that keeps per-day totals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from massage_guide.core.history_records import STREAK_MIN_ACTIVE_SECONDS


def _counts_sql_v2(row: str) -> str:
    """The streak rule of schemas 2 and 3: completed, or finished with a minute of activity."""
    return (
        f"({row}status = 'completed' OR "
        f"({row}status != 'in_progress' AND {row}active_seconds >= {STREAK_MIN_ACTIVE_SECONDS}))"
    )


def _counts_sql(row: str) -> str:
    """The streak rule since schema 4 (issue 15): a day counts when a session on it was completed."""
    return f"({row}status = 'completed')"


def _is_rated(row: str) -> str:
    return f"({row}tension_before IS NOT NULL AND {row}tension_after IS NOT NULL)"


def _rated_sql(row: str) -> str:
    return f"sum({_is_rated(row)})" if not row else _is_rated(row)


def _rated_sum_sql(row: str, column: str) -> str:
    value = f"CASE WHEN {_is_rated(row)} THEN {row}{column} ELSE 0 END"
    return f"sum({value})" if not row else value


def _day_trigger(
    name: str,
    when: str,
    *,
    add: str | None = None,
    remove: str | None = None,
    counts: Callable[[str], str] = _counts_sql,
) -> str:
    """A trigger keeping ``days`` equal to the finished sessions of each local day."""
    body = []
    if remove:
        r = remove + "."
        body.append(
            f"UPDATE days SET seconds = seconds - {r}active_seconds, sessions = sessions - 1,"
            f" streak_sessions = streak_sessions - {counts(r)}, rated = rated - {_rated_sql(r)},"
            f" tension_before_sum = tension_before_sum - {_rated_sum_sql(r, 'tension_before')},"
            f" tension_after_sum = tension_after_sum - {_rated_sum_sql(r, 'tension_after')}"
            f" WHERE local_day = {r}local_day AND {r}status != 'in_progress';"
        )
    if add:
        a = add + "."
        body.append(
            "INSERT INTO days (local_day, seconds, sessions, streak_sessions, rated, tension_before_sum,"
            f" tension_after_sum) SELECT {a}local_day, {a}active_seconds, 1, {counts(a)},"
            f" {_rated_sql(a)}, {_rated_sum_sql(a, 'tension_before')}, {_rated_sum_sql(a, 'tension_after')}"
            f" WHERE {a}status != 'in_progress' ON CONFLICT (local_day) DO UPDATE SET"
            " seconds = seconds + excluded.seconds, sessions = sessions + 1,"
            " streak_sessions = streak_sessions + excluded.streak_sessions, rated = rated + excluded.rated,"
            " tension_before_sum = tension_before_sum + excluded.tension_before_sum,"
            " tension_after_sum = tension_after_sum + excluded.tension_after_sum;"
        )
    return f"CREATE TRIGGER {name} {when} ON sessions BEGIN {' '.join(body)} END"


# The per-day totals of the sessions a query selects, as rows of ``days``.
_DAYS_SELECT: Final = (
    f"SELECT local_day, sum(active_seconds), count(*), sum({_counts_sql('')}), {_rated_sql('')},"
    f" {_rated_sum_sql('', 'tension_before')}, {_rated_sum_sql('', 'tension_after')} FROM sessions"
)

# A bulk import drops this trigger inside each batch's transaction and adds the batch's sessions to
# ``days`` in one statement instead (ADD_DAYS_AFTER_ROWID), then puts the trigger back before COMMIT:
# no other connection ever sees the table without it. Sessions added get rowids above the largest one
# (the table has no AUTOINCREMENT and never nears the 64-bit limit), so ``rowid > ?`` is exactly them.
DAY_INSERT_TRIGGER_NAME: Final = "sessions_day_insert"
DAY_INSERT_TRIGGER: Final = _day_trigger(DAY_INSERT_TRIGGER_NAME, "AFTER INSERT", add="NEW")
ADD_DAYS_AFTER_ROWID: Final = (
    "INSERT INTO days (local_day, seconds, sessions, streak_sessions, rated, tension_before_sum,"
    f" tension_after_sum) {_DAYS_SELECT} WHERE rowid > ? AND status != 'in_progress' GROUP BY local_day"
    " ON CONFLICT (local_day) DO UPDATE SET seconds = seconds + excluded.seconds,"
    " sessions = sessions + excluded.sessions, streak_sessions = streak_sessions + excluded.streak_sessions,"
    " rated = rated + excluded.rated, tension_before_sum = tension_before_sum + excluded.tension_before_sum,"
    " tension_after_sum = tension_after_sum + excluded.tension_after_sum"
)

# --- schema -------------------------------------------------------------------------------------------

# Every step takes the database from version N-1 to N; they run in order, each in its own transaction.
# Never edit a step once released: add a new one.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: the sessions table.
    (
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,
            routine_id TEXT NOT NULL,
            routine_title TEXT NOT NULL,
            routine_hash TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            started_utc REAL NOT NULL,
            local_day TEXT NOT NULL,
            ended_at TEXT,
            updated_at TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('in_progress', 'completed', 'stopped', 'interrupted')),
            planned_seconds INTEGER NOT NULL CHECK (planned_seconds >= 0),
            active_seconds INTEGER NOT NULL DEFAULT 0 CHECK (active_seconds >= 0),
            steps_completed INTEGER NOT NULL DEFAULT 0 CHECK (steps_completed >= 0),
            steps_total INTEGER NOT NULL CHECK (steps_total >= 0),
            tension_before INTEGER CHECK (tension_before BETWEEN 0 AND 10),
            tension_after INTEGER CHECK (tension_after BETWEEN 0 AND 10),
            note TEXT,
            owner_host TEXT,
            owner_pid INTEGER,
            owner_start TEXT
        )""",
    ),
    # 2: room for break reminders (prompts taken, snoozed, skipped) and indexes for the progress page.
    (
        """CREATE TABLE prompts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            local_day TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('taken', 'snoozed', 'skipped')),
            session_id TEXT REFERENCES sessions(id)
        )""",
        "CREATE INDEX prompts_by_day ON prompts(local_day, outcome)",
        "CREATE INDEX sessions_by_day ON sessions(local_day, routine_id, status, active_seconds)",
        "CREATE INDEX sessions_by_start ON sessions(started_utc, id)",
        # Recovery runs at every start; this keeps it instant however long the history grows.
        "CREATE INDEX sessions_running ON sessions(status) WHERE status = 'in_progress'",
        "CREATE INDEX sessions_rated ON sessions(started_utc, local_day, tension_before, tension_after)"
        " WHERE tension_before IS NOT NULL AND tension_after IS NOT NULL",
        # One row per local day, kept up to date by triggers, so progress figures read a few hundred rows
        # instead of every session. Only finished sessions (not in_progress) are counted.
        """CREATE TABLE days (
            local_day TEXT PRIMARY KEY NOT NULL,
            seconds INTEGER NOT NULL DEFAULT 0,
            sessions INTEGER NOT NULL DEFAULT 0,
            streak_sessions INTEGER NOT NULL DEFAULT 0,
            rated INTEGER NOT NULL DEFAULT 0,
            tension_before_sum INTEGER NOT NULL DEFAULT 0,
            tension_after_sum INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID""",
        f"""INSERT INTO days SELECT local_day, sum(active_seconds), count(*), sum({_counts_sql_v2("")}),
            {_rated_sql("")}, {_rated_sum_sql("", "tension_before")}, {_rated_sum_sql("", "tension_after")}
            FROM sessions WHERE status != 'in_progress' GROUP BY local_day""",
        _day_trigger("sessions_day_insert", "AFTER INSERT", add="NEW", counts=_counts_sql_v2),
        _day_trigger("sessions_day_update", "AFTER UPDATE", add="NEW", remove="OLD", counts=_counts_sql_v2),
        _day_trigger("sessions_day_delete", "AFTER DELETE", remove="OLD", counts=_counts_sql_v2),
    ),
    # 3: break prompts are recorded as shown, started, snoozed, skipped or missed (issue 12); the two
    # outcomes version 2 could not hold need a new CHECK, and SQLite changes a CHECK by copying the table.
    (
        """CREATE TABLE prompts_new (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            local_day TEXT NOT NULL,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('shown', 'started', 'snoozed', 'skipped', 'missed')),
            session_id TEXT REFERENCES sessions(id)
        )""",
        "INSERT INTO prompts_new (id, at, local_day, outcome, session_id) SELECT id, at, local_day,"
        " CASE outcome WHEN 'taken' THEN 'started' ELSE outcome END, session_id FROM prompts",
        "DROP TABLE prompts",
        "ALTER TABLE prompts_new RENAME TO prompts",
        "CREATE INDEX prompts_by_day ON prompts(local_day, outcome)",
    ),
    # 4: streaks and "done" figures follow the status (issue 15): only a completed session makes a day
    # count, so the triggers change and every day's totals are counted again.
    (
        "DROP TRIGGER sessions_day_insert",
        "DROP TRIGGER sessions_day_update",
        "DROP TRIGGER sessions_day_delete",
        DAY_INSERT_TRIGGER,
        _day_trigger("sessions_day_update", "AFTER UPDATE", add="NEW", remove="OLD"),
        _day_trigger("sessions_day_delete", "AFTER DELETE", remove="OLD"),
        "DELETE FROM days",
        f"INSERT INTO days {_DAYS_SELECT} WHERE status != 'in_progress' GROUP BY local_day",
    ),
)
SCHEMA_VERSION: Final = len(MIGRATIONS)
