"""Writes to opportunities: each checks permission, runs in a transaction, locks the row,
records the move (an ``OpportunityTransition`` row and simple-history) and refuses an illegal
move with a message for the person who asked."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.programs.models import Phase

from .models import Opportunity, OpportunityStatus, OpportunityTransition, transition_refusal

# Hosts post and administrators review while the cycle is being prepared and while
# nominations and opportunities are open; after that the list of slots is fixed.
POSTING_PHASES = frozenset({Phase.DRAFT, Phase.NOMINATIONS, Phase.OPPORTUNITIES})


def _require(actor, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _check_phase(cycle) -> None:
    if cycle.state not in POSTING_PHASES:
        raise ActionRefused(
            _(
                "This cycle is in the %(phase)s phase; opportunities can be posted and reviewed "
                "only until the opportunities phase ends."
            )
            % {"phase": cycle.get_state_display()}
        )


def save_draft(opportunity: Opportunity, *, actor, skills_required=None, skills_developed=None):
    """Create or update a draft (or a returned opportunity being corrected)."""
    creating = opportunity.pk is None
    if creating:
        _require(
            actor,
            "opportunities.add_opportunity",
            opportunity.cycle,
            _("Only a coordinator of an organisation in this program can post opportunities."),
        )
    _require(
        actor,
        "opportunities.change_opportunity",
        opportunity,
        _("Only a coordinator of the host organisation can change this opportunity."),
    )
    _check_phase(opportunity.cycle)
    with transaction.atomic():
        if not creating:
            locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
            if not locked.is_editable:
                raise ActionRefused(
                    _(
                        "This opportunity is “%(status)s” and can no longer be edited. "
                        "Withdraw it and post a new one if it must change."
                    )
                    % {"status": locked.get_status_display()}
                )
            opportunity.status = locked.status
        else:
            opportunity.posted_by = actor
            opportunity.status = OpportunityStatus.DRAFT
        opportunity.full_clean()
        opportunity._history_user = actor
        opportunity.save()
        if skills_required is not None:
            opportunity.skills_required.set(skills_required)
        if skills_developed is not None:
            opportunity.skills_developed.set(skills_developed)
    return opportunity


def _move(opportunity: Opportunity, target: str, *, actor, comment: str = "") -> Opportunity:
    with transaction.atomic():
        locked = (
            Opportunity.objects.select_for_update().select_related("cycle").get(pk=opportunity.pk)
        )
        refusal = transition_refusal(locked.status, target)
        if refusal:
            raise ActionRefused(refusal)
        if target != OpportunityStatus.WITHDRAWN:
            _check_phase(locked.cycle)
        previous = locked.status
        locked.status = target
        update = ["status"]
        if target in (OpportunityStatus.RETURNED, OpportunityStatus.APPROVED):
            locked.review_comment = comment
            update.append("review_comment")
        locked._history_user = actor
        locked.save(update_fields=update)
        OpportunityTransition.objects.create(
            opportunity=locked, from_status=previous, to_status=target, actor=actor, comment=comment
        )
    opportunity.status = locked.status
    opportunity.review_comment = locked.review_comment
    return locked


def submit(opportunity: Opportunity, *, actor) -> Opportunity:
    """Send a draft (or a corrected returned opportunity) to the administrator."""
    _require(
        actor,
        "opportunities.submit_opportunity",
        opportunity,
        _("Only a coordinator of the host organisation can submit this opportunity."),
    )
    return _move(opportunity, OpportunityStatus.SUBMITTED, actor=actor)


def approve(opportunity: Opportunity, *, actor, comment: str = "") -> Opportunity:
    _require(
        actor,
        "opportunities.review_opportunity",
        opportunity,
        _("Only an administrator of this program can approve opportunities."),
    )
    return _move(opportunity, OpportunityStatus.APPROVED, actor=actor, comment=comment.strip())


def return_for_changes(opportunity: Opportunity, *, actor, comment: str) -> Opportunity:
    _require(
        actor,
        "opportunities.review_opportunity",
        opportunity,
        _("Only an administrator of this program can return opportunities."),
    )
    if not comment.strip():
        raise ActionRefused(_("Say what the host should change: a comment is required."))
    return _move(opportunity, OpportunityStatus.RETURNED, actor=actor, comment=comment.strip())


def withdraw(opportunity: Opportunity, *, actor, comment: str = "") -> Opportunity:
    _require(
        actor,
        "opportunities.withdraw_opportunity",
        opportunity,
        _("Only a coordinator of the host organisation can withdraw this opportunity."),
    )
    return _move(opportunity, OpportunityStatus.WITHDRAWN, actor=actor, comment=comment.strip())
