"""Writes to opportunities. The workflow (``OPPORTUNITY_WORKFLOW`` in models.py) checks the
permission, locks the row, refuses an illegal move with a message for the person who asked
and records the move; these functions add the cycle's phase and the reviewer's comment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.programs.models import Phase

from .models import OPPORTUNITY_WORKFLOW, Opportunity, OpportunityStatus

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.people.models import Skill
    from talent_exchange.programs.models import Cycle

# Hosts post and administrators review while the cycle is being prepared and while
# nominations and opportunities are open; after that the list of slots is fixed.
POSTING_PHASES = frozenset({Phase.DRAFT, Phase.NOMINATIONS, Phase.OPPORTUNITIES})


def _check_phase(cycle: Cycle) -> None:
    if cycle.state not in POSTING_PHASES:
        raise ActionRefused(
            _(
                "This cycle is in the %(phase)s phase; opportunities can be posted and reviewed "
                "only until the opportunities phase ends."
            )
            % {"phase": cycle.get_state_display()}
        )


def save_draft(
    opportunity: Opportunity,
    *,
    actor: User,
    skills_required: Iterable[Skill] | None = None,
    skills_developed: Iterable[Skill] | None = None,
) -> Opportunity:
    """Create or update a draft (or a returned opportunity being corrected)."""
    creating = opportunity.pk is None
    edit = OPPORTUNITY_WORKFLOW.by_name["edit"]
    if creating:
        require(
            actor,
            "opportunities.add_opportunity",
            opportunity.cycle,
            _("Only a coordinator of an organisation in this program can post opportunities."),
        )
    OPPORTUNITY_WORKFLOW.check_permission(opportunity, "edit", actor=actor)
    _check_phase(opportunity.cycle)
    with transaction.atomic():
        if not creating:
            locked: Opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
            refusal = OPPORTUNITY_WORKFLOW.refusal(locked, edit)
            if refusal:
                raise ActionRefused(refusal)
            opportunity.status = locked.status
        else:
            opportunity.posted_by = actor
            opportunity.status = OpportunityStatus.DRAFT
        opportunity.full_clean()
        attribute_to(opportunity, actor)
        opportunity.save()
        if skills_required is not None:
            opportunity.skills_required.set(skills_required)
        if skills_developed is not None:
            opportunity.skills_developed.set(skills_developed)
    return opportunity


def _in_posting_phase(locked: Opportunity) -> None:
    _check_phase(locked.cycle)


def submit(opportunity: Opportunity, *, actor: User) -> Opportunity:
    """Send a draft (or a corrected returned opportunity) to the administrator."""
    return OPPORTUNITY_WORKFLOW.perform(opportunity, "submit", actor=actor, check=_in_posting_phase)


def approve(opportunity: Opportunity, *, actor: User, comment: str = "") -> Opportunity:
    comment = comment.strip()
    return OPPORTUNITY_WORKFLOW.perform(
        opportunity,
        "approve",
        actor=actor,
        note=comment,
        check=_in_posting_phase,
        review_comment=comment,
    )


def approve_many(opportunities: list[Opportunity], *, actor: User) -> list[Opportunity]:
    """Approve several at once (the review queue's ticked rows): all of them, or none with the
    reason the first one was refused."""
    with transaction.atomic():
        return [approve(opportunity, actor=actor) for opportunity in opportunities]


def return_for_changes(opportunity: Opportunity, *, actor: User, comment: str) -> Opportunity:
    comment = comment.strip()
    return OPPORTUNITY_WORKFLOW.perform(
        opportunity,
        "return",
        actor=actor,
        note=comment,
        check=_in_posting_phase,
        review_comment=comment,
    )


def withdraw(opportunity: Opportunity, *, actor: User, comment: str = "") -> Opportunity:
    """A host withdraws an opportunity at any time, whatever the cycle's phase."""
    return OPPORTUNITY_WORKFLOW.perform(opportunity, "withdraw", actor=actor, note=comment)
