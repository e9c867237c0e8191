"""Writes to programs and cycles: each one checks permission, runs in a transaction and
leaves history. An organisation joins a program only by consent: an invitation its own
coordinator accepts, or a platform operator's enrolment with a recorded reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talent_exchange.accounts.models import Role, RoleGrant
from talent_exchange.accounts.roles import roles_of
from talent_exchange.accounts.services import appoint_program_creator, grant_role, sign_in_link
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.notifications.services import absolute_url, notify
from talent_exchange.organizations.models import Organization

from . import schedule
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
from .shapes import ProgramTemplate

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
    paths = {
        "nominate_link": reverse("nominations:create", args=[cycle.pk]),
        "post_link": reverse("opportunities:create", args=[cycle.pk]),
        "cycle_link": reverse("programs:cycle", args=[cycle.pk]),
    }
    by_org = RoleGrant.objects.coordinators_by_organization(organization_ids)
    for organization_id, coordinators in sorted(by_org.items()):
        for coordinator in coordinators:
            # Straight to the page, or through choosing a password for whoever has none yet.
            links = {name: sign_in_link(coordinator, path) for name, path in paths.items()}
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


# -- a program is created from a template and its rules set on one page ----------------------


def administering_choices(actor: User) -> QuerySet[Organization]:
    """The organisations ``actor`` may name as a program's administering organisation: any,
    for a platform operator; for a program administrator, those their programs already reach
    (naming another would open its people to them without its consent)."""
    roles = roles_of(actor)
    if roles.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=roles.admin_org_ids)


def create_program(
    template: ProgramTemplate,
    *,
    actor: User,
    name: str,
    administering_organization: Organization,
    short_name: str = "",
    description: str = "",
) -> Program:
    """A new program with the template's rules: its endorsement chain, interview rubric and
    agreement wording too. Whoever creates it (unless a platform operator) becomes its
    administrator. An unsaved ``administering_organization`` (named on the same form) is
    created with it."""
    require(
        actor,
        "programs.add_program",
        None,
        _("Only a platform operator or a program administrator can create a program."),
    )
    new_organization = administering_organization.pk is None
    if not new_organization and not (
        administering_choices(actor).filter(pk=administering_organization.pk).exists()
    ):
        raise PermissionDenied(
            _("You cannot name %(org)s as the administering organisation of a new program.")
            % {"org": administering_organization}
        )
    from talent_exchange.interviews.models import RubricCriterion
    from talent_exchange.nominations.models import EndorsementStep
    from talent_exchange.placements.models import DEFAULT_TEXTS, AgreementTemplate

    with transaction.atomic():
        if new_organization:  # named on the same form: it starts with no people
            attribute_to(administering_organization, actor).save()
        program = Program(
            name=name.strip(),
            short_name=short_name.strip(),
            description=description.strip(),
            administering_organization=administering_organization,
            **template.program_fields(),
        )
        attribute_to(
            program, actor, reason=_("Created from the template “%(t)s”") % {"t": template.label}
        )
        program.save()
        for order, step in enumerate(template.endorsement_chain, start=1):
            attribute_to(
                EndorsementStep(program=program, order=order, title=step.title, kind=step.kind),
                actor,
            ).save()
        for order, criterion in enumerate(template.rubric, start=1):
            attribute_to(
                RubricCriterion(
                    program=program,
                    order=order,
                    name=criterion.name,
                    description=criterion.description,
                    weight=criterion.weight,
                    max_score=criterion.max_score,
                ),
                actor,
            ).save()
        attribute_to(
            AgreementTemplate(
                program=program,
                return_service_months=template.return_service_months,
                **{field: str(text) for field, text in DEFAULT_TEXTS.items()},
            ),
            actor,
        ).save()
        if not actor.is_superuser:
            appoint_program_creator(program, actor=actor, reason=_("Created the program"))
    return program


@dataclass
class ProgramRules:
    """What the settings page sends: the forms, validated, of every rule of a program."""

    program_form: ModelForm[Any]
    chain: BaseModelFormSet[Any, Any]
    rubric: BaseModelFormSet[Any, Any]
    agreement_form: ModelForm[Any]


def save_program_rules(program: Program, rules: ProgramRules, *, actor: User) -> Program:
    """Write every rule of the settings page at once, or nothing. The chain and the rubric
    are numbered in the order the administrator gave (ties keep the page's order)."""
    require(
        actor,
        "programs.change_program",
        program,
        _("Only an administrator of this program can change its rules."),
    )
    from talent_exchange.interviews.models import RubricCriterion
    from talent_exchange.nominations.models import EndorsementStep

    with transaction.atomic():
        locked = Program.objects.select_for_update().get(pk=program.pk)
        saved: Program = rules.program_form.save(commit=False)
        if not actor.is_superuser:  # see ``administering_choices``
            saved.administering_organization_id = locked.administering_organization_id
        saved.rules_reviewed_at = timezone.now()
        attribute_to(saved, actor).save()
        _save_ordered(rules.chain, EndorsementStep, program, actor)
        _save_ordered(rules.rubric, RubricCriterion, program, actor)
        if rules.agreement_form.has_changed() or rules.agreement_form.instance.pk is None:
            agreement = rules.agreement_form.save(commit=False)
            agreement.program = saved
            attribute_to(agreement, actor).save()
    return saved


def _save_ordered(
    formset: BaseModelFormSet[Any, Any], model: Any, program: Program, actor: User
) -> None:
    """Delete the rows marked for deletion, then save the others numbered 1, 2, … in the
    order given. Orders are first moved out of the way with one ``update`` (no history row
    for that passing state), so swapping two steps does not trip the unique order."""
    kept = []
    for position, form in enumerate(formset.forms):
        if not form.has_changed() and form.instance.pk is None:
            continue  # an empty extra row
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            if form.instance.pk is not None:
                attribute_to(form.instance, actor).delete()
            continue
        kept.append((form.cleaned_data.get("order") or 0, position, form))
    kept.sort(key=lambda row: (row[0], row[1]))
    model.objects.filter(program=program).update(order=models.F("order") + 1000)
    for number, (_order, _position, form) in enumerate(kept, start=1):
        unchanged = not form.has_changed() and form.initial.get("order") == number
        if form.instance.pk is not None and unchanged:  # back in place, no history row
            model.objects.filter(pk=form.instance.pk).update(order=number)
            continue
        row = form.save(commit=False)
        row.program = program
        row.order = number
        attribute_to(row, actor).save()


# -- cycles: created on one form, or copied from the last one -----------------------------


def latest_cycle_end(program: Program, *, exclude: Cycle | None = None) -> tuple[Any, str]:
    """The day the program's latest-ending cycle closes its last phase, and its name
    ((None, "") when no cycle has dates). One query."""
    phases = CyclePhase.objects.filter(cycle__program=program)
    if exclude is not None:
        phases = phases.exclude(cycle=exclude)
    last = phases.select_related("cycle").order_by("-closes_on").first()
    return (last.closes_on, last.cycle.name) if last else (None, "")


def cycle_schedule_errors(program: Program, dates: schedule.Dates) -> dict[str, schedule.Problem]:
    """{phase: what is wrong}, by the program's rules: the phases' order and overlap, and
    (when the program forbids overlapping cycles) a start before the latest cycle ends."""
    errors = schedule.phase_date_errors(dates, phases_may_overlap=program.phases_may_overlap)
    first = schedule.DATED_PHASES[0]
    window = schedule.span(dates)
    if not program.cycles_may_overlap and first not in errors and window is not None:
        ends, name = latest_cycle_end(program)
        refusal = schedule.cycle_start_error(window[0], ends, name)
        if refusal:
            errors[first] = schedule.Problem("opens", refusal)
    return errors


def create_cycle(
    program: Program,
    *,
    actor: User,
    name: str,
    dates: schedule.Dates,
    copy_from: Cycle | None = None,
    name_fr: str = "",
) -> Cycle:
    """A new cycle with the dates of its phases. A copy also takes the phases' owners and
    the panels of ``copy_from`` (their members keep their panelist role for the new cycle);
    the program's rules and rubric are the program's, so every cycle shares them."""
    require(
        actor,
        "programs.add_cycle",
        program,
        _("Only an administrator of this program can create its cycles."),
    )
    if copy_from is not None and copy_from.program_id != program.pk:
        raise ActionRefused(_("A cycle is copied within its own program."))
    name, name_fr = name.strip(), name_fr.strip()
    with transaction.atomic():
        locked: Program = Program.objects.select_for_update().get(pk=program.pk)
        errors = cycle_schedule_errors(locked, dates)
        if errors:
            raise ActionRefused(next(iter(errors.values())).message)
        if locked.cycles.filter(name__iexact=name).exists():
            raise ActionRefused(
                _("%(program)s already has a cycle named “%(name)s”.")
                % {"program": locked, "name": name}
            )
        cycle = Cycle(program=locked, name=name, name_fr=name_fr)
        attribute_to(
            cycle,
            actor,
            reason=_("Copied from %(c)s") % {"c": copy_from.name} if copy_from else None,
        )
        cycle.save()
        owners = dict(copy_from.phases.values_list("phase", "owner_id")) if copy_from else {}
        CyclePhase.objects.bulk_create(
            CyclePhase(
                cycle=cycle,
                phase=phase,
                opens_on=opens,
                closes_on=closes,
                owner_id=owners.get(phase),
            )
            for phase, (opens, closes) in dates.items()
            if opens is not None and closes is not None  # always, once the schedule is valid
        )
        if copy_from is not None:
            _copy_panels(copy_from, cycle, actor=actor)
    return cycle


def _copy_panels(source: Cycle, target: Cycle, *, actor: User) -> None:
    """The source cycle's panels (name, place, members) in the target cycle, and each
    member's panelist role there."""
    from talent_exchange.interviews.models import Panel

    member_ids: set[int] = set()
    for panel in source.panels.prefetch_related("members"):
        copy = Panel(cycle=target, name=panel.name, location=panel.location)
        attribute_to(copy, actor).save()
        members = [m.pk for m in panel.members.all()]
        copy.members.set(members)
        member_ids.update(members)
    sitting = set(
        RoleGrant.objects.active()
        .filter(role=Role.PANELIST, cycle=target, user_id__in=member_ids)
        .values_list("user_id", flat=True)
    )
    reason = _("Panel copied from %(c)s") % {"c": source.name}
    user_model = get_user_model()
    for member in user_model.objects.filter(pk__in=member_ids - sitting, is_active=True).order_by(
        "pk"
    ):
        # They sat on the source cycle's panel: no confirmation asked again.
        grant_role(Role.PANELIST, member, actor=actor, reason=reason, cycle=target, confirmed=True)


def copy_dates(cycle: Cycle) -> tuple[dict[str, tuple[Any, Any]], int]:
    """The dates of ``cycle``'s phases moved to just after it ends, by whole weeks (the
    days of the week stay the same), and by how many days. Two queries."""
    dates = {p.phase: (p.opens_on, p.closes_on) for p in cycle.phases.all()}
    window = schedule.span(dates)
    if window is None:
        return {}, 0
    length = (window[1] - window[0]).days + 1
    days = -(-length // 7) * 7
    return schedule.shifted(dates, days), days
