"""Writes to programs and cycles: each one checks permission, runs in a transaction and
leaves history."""

from __future__ import annotations

from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.permissions import require

from .models import CYCLE_WORKFLOW, PHASE_ORDER, Cycle


def move_cycle(cycle: Cycle, target: str, *, actor, note: str = "") -> Cycle:
    """Move a cycle to another phase, if the workflow and the actor's role allow it.

    The row is locked (``select_for_update`` on PostgreSQL; an IMMEDIATE transaction on
    SQLite), so two administrators moving the same cycle at once cannot both succeed from
    the same starting phase; going back a phase needs a note.
    """
    require(
        actor,
        "programs.move_cycle",
        cycle,
        _("Only an administrator of this program can change its phase."),
    )
    if target not in PHASE_ORDER:
        raise ActionRefused(_("“%(target)s” is not a phase of a cycle.") % {"target": target})
    # The move from this phase to ``target``; when there is none, any move to ``target``
    # (the workflow then refuses it with the phases the cycle can move to).
    action = CYCLE_WORKFLOW.action_to(cycle.state, target) or next(
        a for a in CYCLE_WORKFLOW.actions if a.target == target
    )
    return CYCLE_WORKFLOW.perform(cycle, action.name, actor=actor, note=note)
