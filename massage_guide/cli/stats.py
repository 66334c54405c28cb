"""The ``stats`` command: streaks, minutes by routine and area, breaks taken and the change in tension."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from massage_guide.cli.store import guarded, open_store, session_count
from massage_guide.core.formatting import day_month, minutes, number, signed
from massage_guide.core.i18n import _, ngettext

if TYPE_CHECKING:
    from massage_guide.core.stats import PeriodTotals, Stats


def register(subparsers: Any) -> None:
    """Add ``stats`` to the command line."""
    stats = subparsers.add_parser("stats", help=_("show streaks, minutes, areas and tension change"))
    stats.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    stats.set_defaults(handler=run_stats)


def run_stats(args: argparse.Namespace) -> int:
    return guarded(_stats, args)


def _stats(args: argparse.Namespace) -> int:
    from massage_guide.core import stats as progress
    from massage_guide.core.history import local_now

    store = open_store()
    if store is None:
        return 1
    show_streaks, rest_days = _streak_settings()
    today = local_now().date()
    with store:
        month = progress.month_bounds(today)
        week = progress.week_bounds(today)
        first = min(month[0], week[0])
        last = max(month[1], week[1])
        # Only the routines used this week or month need their areas, so the library is read only then.
        used = {t.routine_id for t in store.routine_totals(first, last)}
        areas = _areas_by_routine() if used else {}
        figures = progress.compute_stats(
            store,
            today,
            areas_by_routine=areas,
            rest_days_per_week=rest_days,
            show_streaks=show_streaks,
        )
    if args.json:
        json.dump(figures.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_stats(figures)
    return 0


def _streak_settings() -> tuple[bool, int]:
    """(show streaks, rest days per week) from settings.yaml; the defaults when it cannot be read."""
    try:
        from massage_guide import paths
        from massage_guide.core.settings import load_settings
    except ImportError:  # pragma: no cover - settings are part of the package
        return True, 1
    settings, _problems = load_settings(paths.resolve().settings_file)
    return settings.show_streaks, settings.streak_rest_days_per_week


def _areas_by_routine() -> dict[str, tuple[str, ...]]:
    from massage_guide import paths
    from massage_guide.core.library import load_library

    library = load_library(paths.resolve())
    return {routine_id: routine.areas for routine_id, routine in library.summaries.items()}


def _print_stats(figures: Stats) -> None:
    from massage_guide.core.model import area_label

    if figures.streaks is not None:
        s = figures.streaks
        rest = (
            _("every day counts")
            if s.rest_days_per_week == 0
            else ngettext(
                "{count} rest day a week allowed", "{count} rest days a week allowed", s.rest_days_per_week
            ).format(count=s.rest_days_per_week)
        )
        print(
            ngettext(
                "Streak: {count} day (best {best}; {rest})",
                "Streak: {count} days (best {best}; {rest})",
                s.current,
            ).format(count=s.current, best=s.best, rest=rest)
        )

    def period(name: str, p: PeriodTotals) -> None:
        print(
            _("{period} ({start} to {end}): {minutes} in {sessions}").format(
                period=name,
                start=day_month(p.start),
                end=day_month(p.end),
                minutes=minutes(p.minutes),
                sessions=session_count(p.sessions),
            )
        )
        for share in p.by_routine:
            print(f"  {share.label or share.key}: {minutes(share.minutes)}, {session_count(share.sessions)}")
        if p.by_area:
            areas = ", ".join(f"{area_label(a.key)} {minutes(a.minutes)}" for a in p.by_area)
            print("  " + _("By area: {areas}").format(areas=areas))

    period(_("This week"), figures.week)
    period(_("This month"), figures.month)
    days = figures.active_days
    print(
        ngettext(
            "All time: {minutes} in {sessions} on {count} day",
            "All time: {minutes} in {sessions} on {count} days",
            days,
        ).format(
            minutes=minutes(figures.total_minutes), sessions=session_count(figures.total_sessions), count=days
        )
    )
    if shown := figures.break_prompts.get("shown"):
        print(
            ngettext(
                "Breaks this week: {taken} taken of {count} reminder",
                "Breaks this week: {taken} taken of {count} reminders",
                shown,
            ).format(taken=figures.breaks_taken, count=shown)
        )
    t = figures.tension
    change = t.average_change
    if change is None or t.average_before is None or t.average_after is None:
        print(_("Tension: rate it before and after a session to see how it changes."))
    else:
        print(
            ngettext(
                "Tension: {before} before, {after} after on average ({change}) over {count} rated session",
                "Tension: {before} before, {after} after on average ({change}) over {count} rated sessions",
                t.rated_sessions,
            ).format(
                before=number(t.average_before, 1),
                after=number(t.average_after, 1),
                change=signed(change, 1),
                count=t.rated_sessions,
            )
        )
