"""What the bot counts per week, for organizers: the kinds of counts and the ISO week they fall in.

The counts are the only record of what people ask: the bot keeps no message text and no id, so
"which topics people ask about that the FAQ does not answer" has to be read from them. Each count
is (week, language, kind, key): the week is an ISO week ("2026-W50", never anything finer), the
language the one the message is written in, the key an entry id or an out-of-scope topic id from
the content (or empty). Nothing here is about a person.

Light on purpose: `python -m bot report` reads these without loading the matcher.
"""

from __future__ import annotations

from datetime import date

# kinds of weekly counts, and what their key is
QUESTIONS = "questions"          # "": a question the matcher read (each also counts below)
ANSWERED = "answered"            # an entry id: answered with confidence
DID_YOU_MEAN = "did_you_mean"    # "": a "did you mean" reply was offered
OFFERED = "offered"              # an entry id: one of the entries a "did you mean" offered
TAPPED = "tapped"                # an entry id: the "did you mean" choice people tapped
NOT_COVERED = "not_covered"      # an out-of-scope topic id, or "" when none came close
NOT_UNDERSTOOD = "not_understood"  # "": no word the bot could match ("hola", "ok", emoji)
URGENT = "urgent"                # "": written as it happens (it is also counted by its match)
THANKS = "thanks"                # "": a thank-you
OTHER_LANGUAGE = "other_language"  # "": a language the bot does not read (language is "")
FLOOD_SKIPPED = "flood_skipped"  # "": a message skipped by the flood limits (issue #19)
# Counts kept before weeks were (the all-time counters of older versions), read as they were:
NOT_ANSWERED = "not_answered"    # "": not covered or not understood, not told apart back then

KINDS = (QUESTIONS, ANSWERED, DID_YOU_MEAN, OFFERED, TAPPED, NOT_COVERED, NOT_UNDERSTOOD, URGENT,
         THANKS, OTHER_LANGUAGE, FLOOD_SKIPPED, NOT_ANSWERED)

# The week of counts migrated from a state file older than weekly counts.
EARLIER = "earlier"


def iso_week(day: date) -> str:
    """'2026-W50': the ISO week `day` falls in (weeks start on Monday; W01 holds January 4)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(week: str) -> date | None:
    """The Monday of an ISO week ('2026-W50'), None for EARLIER or anything else."""
    try:
        return date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    except ValueError:
        return None
