"""The matching engine's reasons in the reader's language.

The engine (``talent_exchange.matching.explain``, plain Python) returns each row's reasons as
codes with values; this module words them with gettext, in the language active for the
request or the e-mail, with names for the engine's ids. Results stored before the engine gave
structured reasons carry only its English sentence: those are shown as they are, with names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SlotName = Callable[[str], str]


def _ordinal(n: int) -> str:
    """1st, 2nd … in English; 1er, 2e … in French (humanize's, as plain text: the
    explanation is escaped where it is shown)."""
    return strip_tags(str(ordinal(n)))


def _slots(reason: dict[str, Any], slot_name: SlotName) -> str:
    names = [slot_name(key) for key in reason["slots"]]
    more = reason["total"] - len(names)
    text = ", ".join(names)
    if more > 0:
        text = ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", more) % {
            "names": text,
            "count": more,
        }
    return text


def _why_not(reason: dict[str, Any], slot_name: SlotName) -> str:
    code, n = reason["code"], reason["total"]
    values = {"slots": _slots(reason, slot_name)}
    if code == "filled":
        text = ngettext(
            "%(slots)s is full with candidates it ranks higher",
            "%(slots)s are full with candidates they rank higher",
            n,
        )
    elif code == "traded":
        text = ngettext(
            "%(slots)s is given to others for a higher total weight",
            "%(slots)s are given to others for a higher total weight",
            n,
        )
    elif code == "held_by_locks":
        text = ngettext(
            "%(slots)s is held by locked placements", "%(slots)s are held by locked placements", n
        )
    elif code == "lower_weight":
        text = ngettext("%(slots)s would weigh less", "%(slots)s would weigh less", n)
    elif code == "balance":
        text = ngettext(
            "%(slots)s would break the balance rule", "%(slots)s would break the balance rule", n
        )
    elif code == "equal_weight":
        text = ngettext("%(slots)s would weigh the same", "%(slots)s would weigh the same", n)
    else:  # no_places
        text = ngettext("%(slots)s has no places", "%(slots)s have no places", n)
    return text % values


def _not_acceptable(reason: dict[str, Any]) -> str:
    code, n = reason["code"], reason["count"]
    if code == "forbidden":
        text = ngettext("%(count)s forbidden", "%(count)s forbidden", n)
    elif code == "home_organization":
        text = ngettext(
            "%(count)s in their own organisation", "%(count)s in their own organisation", n
        )
    else:  # not_ranked_by_slot
        text = ngettext("%(count)s not ranking them", "%(count)s not ranking them", n)
    return text % {"count": n}


WHY_NOT = {
    "filled",
    "traded",
    "held_by_locks",
    "lower_weight",
    "balance",
    "equal_weight",
    "no_places",
}
NOT_ACCEPTABLE = {"forbidden", "home_organization", "not_ranked_by_slot"}


def explain(reasons: list[dict[str, Any]], slot_name: SlotName) -> str:
    """One result row's structured reasons as sentences in the active language;
    ``slot_name`` names an engine slot id (an opportunity)."""
    by_code = {r["code"]: r for r in reasons}
    why_not = [_why_not(r, slot_name) for r in reasons if r["code"] in WHY_NOT]
    details = [_not_acceptable(r) for r in reasons if r["code"] in NOT_ACCEPTABLE]
    if "locked" in by_code:
        return _("Locked by the administrator (%(rank)s choice).") % {
            "rank": _ordinal(by_code["locked"]["rank"])
        }
    if "choice" in by_code:
        parts = [_("%(rank)s choice") % {"rank": _ordinal(by_code["choice"]["rank"])}]
        if r := by_code.get("slot_rank"):
            parts.append(
                _("%(slot)s ranks them %(rank)s of %(of)s")
                % {"slot": slot_name(r["slot"]), "rank": _ordinal(r["rank"]), "of": r["of"]}
            )
        elif r := by_code.get("lottery"):
            parts.append(
                _("%(slot)s has no preferences, lottery number %(number)s")
                % {"slot": slot_name(r["slot"]), "number": r["number"]}
            )
        if r := by_code.get("weight"):
            parts.append(
                _("weight %(weight)s in the maximum-weight assignment")
                % {"weight": number_format(r["weight"])}
            )
        text = "; ".join(parts) + "."
        if why_not:
            text += " " + _("Higher choices: %(reasons)s.") % {"reasons": "; ".join(why_not)}
        return text
    if "no_preferences" in by_code:
        return _("Ranked no opportunity.")
    if r := by_code.get("none_acceptable"):
        return ngettext(
            "The one opportunity they ranked is not acceptable: %(details)s.",
            "None of the %(listed)s opportunities they ranked is acceptable: %(details)s.",
            r["listed"],
        ) % {"listed": r["listed"], "details": ", ".join(details)}
    text = _("Acceptable opportunities: %(reasons)s.") % {"reasons": "; ".join(why_not)}
    if details:
        text += " " + _("Not acceptable: %(details)s.") % {"details": ", ".join(details)}
    return text
