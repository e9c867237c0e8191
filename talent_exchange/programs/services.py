"""Writes to programs and cycles: each one checks permission, runs in a transaction and
leaves history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused

from .models import Cycle, CycleTransition


def move_cycle(cycle: Cycle, target: str, *, actor, note: str = "") -> Cycle:
    """Move a cycle to another phase, if the state machine and the actor's role allow it.

    The row is locked (``select_for_update`` on PostgreSQL; an IMMEDIATE transaction on
    SQLite), so two administrators moving the same cycle at once cannot both succeed from
    the same starting phase.
    """
    if not actor.has_perm("programs.move_cycle", cycle):
        raise PermissionDenied(_("Only an administrator of this program can change its phase."))
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.state != cycle.state:
            raise ActionRefused(
                _("Someone else moved this cycle to %(phase)s a moment ago; nothing was changed.")
                % {"phase": locked.get_state_display()}
            )
        refusal = locked.transition_refusal(target)
        if refusal:
            raise ActionRefused(refusal)
        going_back = locked.state != "draft" and target == _previous(locked.state)
        if going_back and not note.strip():
            raise ActionRefused(_("Say why the cycle goes back a phase: a note is required."))
        previous = locked.state
        locked.state = target
        locked._history_user = actor
        locked.save(update_fields=["state"])
        CycleTransition.objects.create(
            cycle=locked, from_state=previous, to_state=target, actor=actor, note=note.strip()
        )
    cycle.state = locked.state
    return locked


def _previous(state: str) -> str | None:
    from .models import PHASE_ORDER

    index = PHASE_ORDER.index(state)
    return PHASE_ORDER[index - 1] if index > 0 else None
