"""Writes to programs and cycles: each one checks permission, runs in a transaction and
leaves history. An organisation joins a program only by consent: an invitation its own
coordinator accepts, or a platform operator's enrolment with a recorded reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.notifications.services import absolute_url, notify
from talent_exchange.organizations.models import Organization

from .models import (
    CYCLE_WORKFLOW,
    INVITATION_WORKFLOW,
    PHASE_ORDER,
    Cycle,
    CyclePhase,
    InvitationState,
    InvitationTransition,
    Phase,
    Program,
    ProgramInvitation,
)

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User


def move_cycle(cycle: Cycle, target: str, *, actor: User, note: str = "") -> Cycle:
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
    with transaction.atomic():
        moved = CYCLE_WORKFLOW.perform(cycle, action.name, actor=actor, note=note)
        if action.name == "open_nominations":
            announce_opening(moved)
    return moved


def announce_opening(cycle: Cycle) -> None:
    """E-mail every coordinator of the program's organisations that the cycle is open, with
    what they can do now; once per coordinator and cycle."""
    program = cycle.program
    organization_ids = Program.organization_ids_by_program([program.pk]).get(program.pk, set())
    if not organization_ids:
        return
    organizations = Organization.objects.in_bulk(organization_ids)
    nominations = CyclePhase.objects.filter(cycle=cycle, phase=Phase.NOMINATIONS).first()
    links = {
        "nominate_link": absolute_url(reverse("nominations:create", args=[cycle.pk])),
        "post_link": absolute_url(reverse("opportunities:create", args=[cycle.pk])),
        "cycle_link": absolute_url(reverse("programs:cycle", args=[cycle.pk])),
    }
    by_org = RoleGrant.objects.coordinators_by_organization(organization_ids)
    for organization_id, coordinators in sorted(by_org.items()):
        for coordinator in coordinators:
            notify(
                "programs/cycle_opened",
                [coordinator],
                {
                    "cycle": cycle,
                    "coordinator": coordinator,
                    "organization": organizations[organization_id],
                    "closes_on": nominations.closes_on if nominations else None,
                    **links,
                },
                key=f"programs:cycle:{cycle.pk}:opened:{coordinator.pk}",
            )


# -- organisations join a program by consent --------------------------------------------------


def invite_organization(
    program: Program, organization: Organization, *, actor: User, note: str = ""
) -> ProgramInvitation:
    """Invite ``organization`` to take part in ``program`` and e-mail its coordinators. It
    joins only when one of them accepts."""
    require(
        actor,
        "programs.invite_organization",
        program,
        _("Only an administrator of this program can invite organisations to it."),
    )
    note = note.strip()
    with transaction.atomic():
        locked: Program = Program.objects.select_for_update().get(pk=program.pk)
        _refuse_if_taking_part(locked, organization)
        if locked.invitations.pending().filter(organization=organization).exists():
            raise _already_invited(locked, organization)
        invitation = ProgramInvitation(
            program=locked, organization=organization, invited_by=actor, note=note
        )
        attribute_to(invitation, actor)
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:  # a second invitation raced this one past the check
            raise _already_invited(locked, organization) from None
        InvitationTransition.record(invitation, "", InvitationState.PENDING, actor=actor, note=note)
        _mail_invitation(invitation)
    return invitation


def accept_invitation(
    invitation: ProgramInvitation, *, actor: User, note: str = ""
) -> ProgramInvitation:
    """A coordinator of the invited organisation accepts: it takes part in the program."""
    return _answer(invitation, "accept", actor=actor, note=note)


def decline_invitation(
    invitation: ProgramInvitation, *, actor: User, note: str = ""
) -> ProgramInvitation:
    """A coordinator of the invited organisation declines: nothing changes for it."""
    return _answer(invitation, "decline", actor=actor, note=note)


def withdraw_invitation(
    invitation: ProgramInvitation, *, actor: User, note: str = ""
) -> ProgramInvitation:
    """An administrator of the program takes back an invitation nobody has answered yet."""
    return _answer(invitation, "withdraw", actor=actor, note=note)


def enrol_organization(
    program: Program, organization: Organization, *, actor: User, reason: str
) -> ProgramInvitation:
    """A platform operator's act: enrol ``organization`` without its coordinator's answer
    (for example, on a participation agreement signed before the organisation had a
    coordinator here). The reason is required and kept; a waiting invitation is closed as
    accepted."""
    require(
        actor,
        "programs.enrol_organization",
        program,
        _("Only a platform operator can enrol an organisation without its consent here."),
    )
    reason = reason.strip()
    if not reason:
        raise ActionRefused(
            _("Say why the organisation is enrolled without its coordinator accepting.")
        )
    note = _("Enrolled by a platform operator: %(reason)s") % {"reason": reason}
    with transaction.atomic():
        locked: Program = Program.objects.select_for_update().get(pk=program.pk)
        _refuse_if_taking_part(locked, organization)
        waiting = locked.invitations.pending().filter(organization=organization).first()
        if waiting is not None:
            invitation = _answer(waiting, "enrol", actor=actor, note=note)
        else:
            invitation = ProgramInvitation(
                program=locked,
                organization=organization,
                invited_by=actor,
                note=reason,
                state=InvitationState.ACCEPTED,
                answered_by=actor,
                answered_at=timezone.now(),
            )
            attribute_to(invitation, actor)
            invitation.save()
            InvitationTransition.record(
                invitation, "", InvitationState.ACCEPTED, actor=actor, note=note
            )
            _join(locked, organization, actor=actor)
    return invitation


def remove_organization(
    program: Program, organization: Organization, *, actor: User, reason: str
) -> None:
    """Take an organisation out of a program (its administrators then no longer reach its
    people): the program's administrator does it, or the organisation's own coordinator
    withdraws its consent. Refused while the organisation still has work under way in the
    program: a nomination or an opportunity in a cycle that is not closed, or a placement not
    yet finished. The reason is kept in the program's history."""
    if not (
        actor.has_perm("programs.remove_organization", program)
        or actor.has_perm("organizations.leave_program", organization)
    ):
        raise PermissionDenied(
            _(
                "Only an administrator of this program or a coordinator of the organisation "
                "can take it out of the program."
            )
        )
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Say why the organisation leaves the program."))
    with transaction.atomic():
        locked: Program = Program.objects.select_for_update().get(pk=program.pk)
        if not locked.participating_organizations.filter(pk=organization.pk).exists():
            raise ActionRefused(
                _("%(org)s does not take part in %(program)s.")
                % {"org": organization, "program": locked}
            )
        ties = work_under_way(locked, organization)
        if ties:
            raise ActionRefused(
                _(
                    "%(org)s cannot leave %(program)s while it has work under way there: "
                    "%(ties)s. Finish or withdraw it first."
                )
                % {"org": organization, "program": locked, "ties": "; ".join(ties)}
            )
        attribute_to(locked, actor, reason=reason)
        locked.participating_organizations.remove(organization)


def work_under_way(program: Program, organization: Organization) -> list[str]:
    """What keeps an organisation in a program, in words (empty when nothing does): its
    nominations and opportunities in cycles that are not closed, its unfinished placements.
    Three counting queries."""
    from django.db.models import Q

    from talent_exchange.nominations.models import Nomination, NominationStatus
    from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
    from talent_exchange.placements.models import Placement, Status

    open_cycles = Cycle.objects.filter(program=program).exclude(state="closed")
    nominations = (
        Nomination.objects.filter(cycle__in=open_cycles, home_organization=organization)
        .exclude(status__in=[NominationStatus.DECLINED, NominationStatus.WITHDRAWN])
        .count()
    )
    opportunities = (
        Opportunity.objects.filter(cycle__in=open_cycles, host_organization=organization)
        .exclude(status=OpportunityStatus.WITHDRAWN)
        .count()
    )
    placements = (
        Placement.objects.filter(program=program)
        .filter(Q(home_organization=organization) | Q(host_organization=organization))
        .filter(status__in=[Status.AGREEMENT, Status.ACTIVE, Status.EXTENDED])
        .count()
    )
    ties = []
    if nominations:
        ties.append(
            ngettext(
                "%(n)d nomination in an open cycle",
                "%(n)d nominations in open cycles",
                nominations,
            )
            % {"n": nominations}
        )
    if opportunities:
        ties.append(
            ngettext(
                "%(n)d opportunity in an open cycle",
                "%(n)d opportunities in open cycles",
                opportunities,
            )
            % {"n": opportunities}
        )
    if placements:
        ties.append(
            ngettext("%(n)d unfinished placement", "%(n)d unfinished placements", placements)
            % {"n": placements}
        )
    return ties


def _answer(
    invitation: ProgramInvitation, action: str, *, actor: User, note: str
) -> ProgramInvitation:
    """One answer through the invitation's workflow (permission, lock, state, record); an
    acceptance adds the organisation to the program in the same transaction."""
    with transaction.atomic():
        answered = INVITATION_WORKFLOW.perform(
            invitation,
            action,
            actor=actor,
            note=note,
            answered_by=actor,
            answered_at=timezone.now(),
        )
        if answered.state == InvitationState.ACCEPTED:
            program = Program.objects.select_for_update().get(pk=answered.program_id)
            _join(program, answered.organization, actor=actor)
        if action in ("accept", "decline") and answered.invited_by_id != actor.pk:
            _mail_answer(answered, note.strip())
    return answered


def _refuse_if_taking_part(program: Program, organization: Organization) -> None:
    if program.participating_organizations.filter(pk=organization.pk).exists():
        raise ActionRefused(
            _("%(org)s already takes part in %(program)s.")
            % {"org": organization, "program": program}
        )


def _already_invited(program: Program, organization: Organization) -> ActionRefused:
    return ActionRefused(
        _("%(org)s already has an invitation to %(program)s waiting for an answer.")
        % {"org": organization, "program": program}
    )


def _join(program: Program, organization: Organization, *, actor: User) -> None:
    """Add the organisation to the program; the program's history records who and when."""
    attribute_to(program, actor)
    program.participating_organizations.add(organization)


def coordinators_of(organization: Organization) -> list[User]:
    """The organisation's current coordinators (the invitation's recipients)."""
    return RoleGrant.objects.coordinators_by_organization([organization.pk]).get(
        organization.pk, []
    )


def _mail_invitation(invitation: ProgramInvitation) -> None:
    """Ask the invited organisation's coordinators to answer."""
    notify(
        "programs/invitation",
        coordinators_of(invitation.organization),
        {"invitation": invitation, "url": _invitation_url(invitation)},
        key=f"programs:invitation:{invitation.pk}",
    )


def _mail_answer(invitation: ProgramInvitation, note: str) -> None:
    """Tell whoever sent the invitation that the organisation accepted or declined."""
    notify(
        "programs/answer",
        [invitation.invited_by] if invitation.invited_by_id else [],
        {"invitation": invitation, "note": note, "url": _invitation_url(invitation)},
        key=f"programs:invitation:{invitation.pk}:answer",
    )


def _invitation_url(invitation: ProgramInvitation) -> str:
    return absolute_url(reverse("programs:invitation", args=[invitation.pk]))
