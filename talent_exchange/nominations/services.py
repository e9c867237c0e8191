"""Writes to nominations: nominate (one or a spreadsheet), endorse or decline a step,
confirm the profile, declare conflicts, withdraw. Each checks permission, runs in a
transaction, locks what it changes, records history and sends the e-mails the step needs."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.accounts.models import Role, RoleGrant
from talent_exchange.accounts.roles import forget_roles, roles_of
from talent_exchange.accounts.services import sign_in_link, welcome_path
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.notifications.services import absolute_url, notify

from . import eligibility, endorsers
from .models import NOMINATION_WORKFLOW as WORKFLOW
from .models import (
    ConflictOfInterest,
    Endorsement,
    EndorsementDecision,
    EndorsementStep,
    Nomination,
    NominationStatus,
)

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.organizations.models import Organization
    from talent_exchange.people.models import Person
    from talent_exchange.programs.models import Cycle, Program


def chain_of(program: Program) -> list[EndorsementStep]:
    return list(EndorsementStep.objects.filter(program=program).order_by("order"))


def nominating_organizations(actor: User) -> frozenset[int] | None:
    """The organisations whose employees ``actor`` may nominate (None: any, for a superuser)."""
    roles = roles_of(actor)
    return None if roles.is_superuser else roles.coordinator_org_ids


@dataclass
class NominationRequest:
    """One nomination to make, as a form or a spreadsheet row gives it."""

    person: Person
    endorsers: Sequence[User | None]  # one per step of the chain, in order (None: not named)
    rationale: str = ""
    backfill_plan: str = ""


def refusals_for(
    request: NominationRequest,
    cycle: Cycle,
    *,
    actor: User,
    steps: list[EndorsementStep],
    today: date,
) -> list[str]:
    """Every reason this nomination cannot be made (eligibility and the endorsers)."""
    reasons = eligibility.check(
        request.person,
        cycle,
        today,
        nominating_organization_ids=nominating_organizations(actor),
    )
    overlaps = eligibility.overlapping_interviews(request.person, cycle)
    if overlaps and cycle.program.refuse_overlapping_interviews:
        reasons.append(
            _(
                "They are nominated in %(cycles)s, whose interviews overlap this cycle's; the "
                "program refuses such nominations."
            )
            % {"cycles": ", ".join(overlaps)}
        )
    if len(request.endorsers) != len(steps):
        reasons.append(
            _("The program’s endorsement chain has %(n)s steps; give one endorser for each.")
            % {"n": len(steps)}
        )
    for step, endorser in zip(steps, request.endorsers, strict=False):
        if endorser is None:
            reasons.append(
                _("Name the endorser for step %(order)s (%(title)s).")
                % {"order": step.order, "title": step.title}
            )
    if len(request.endorsers) == len(steps):
        for step, step_reasons in endorser_refusals(
            request.person, steps, request.endorsers, actor=actor
        ).items():
            reasons.extend(
                _("Step %(order)s (%(title)s): %(reason)s")
                % {"order": step.order, "title": step.title, "reason": reason}
                for reason in step_reasons
            )
    return reasons


def endorser_refusals(
    person: Person, steps: Sequence[EndorsementStep], chosen: Sequence[Any], *, actor: Any
) -> dict[EndorsementStep, list[str]]:
    """Why each named endorser may not sign their step of ``person``'s nomination by
    ``actor``: {step: [reasons]} (see endorsers.py for the rule)."""
    found = endorsers.chain_refusals(person, [step.kind for step in steps], chosen, nominator=actor)
    return {steps[i]: reasons for i, reasons in found.items()}


def signing_refusal(endorsement: Endorsement) -> str | None:
    """Why this step's endorser may not sign it now (None: they may). The rule is asked
    again at signing, so a chain named before it existed, or whose people have changed
    since (a new supervisor, a move to another organisation), cannot be signed against it."""
    nomination = (
        Nomination.objects.select_related("person__organization", "person__user", "nominated_by")
        .select_related("person__supervisor")
        .get(pk=endorsement.nomination_id)
    )
    chain = list(nomination.endorsements.select_related("endorser__person").order_by("order"))
    index = next(i for i, e in enumerate(chain) if e.pk == endorsement.pk)
    found = endorsers.chain_refusals(
        nomination.person,
        [e.kind for e in chain],
        [e.endorser for e in chain],
        nominator=nomination.nominated_by,
    )
    if index not in found:
        return None
    return _("You cannot sign this step: %(reasons)s Nothing was recorded.") % {
        "reasons": " ".join(found[index])
    }


def _create(
    request: NominationRequest, cycle: Cycle, *, actor: User, steps: list[EndorsementStep]
) -> Nomination:
    nomination = Nomination(
        cycle=cycle,
        person=request.person,
        home_organization_id=request.person.organization_id,
        nominated_by=actor,
        rationale=request.rationale.strip(),
        backfill_plan=request.backfill_plan.strip(),
    )
    attribute_to(nomination, actor)
    refused = endorser_refusals(request.person, steps, request.endorsers, actor=actor)
    if refused:
        raise ActionRefused(" ".join(r for reasons in refused.values() for r in reasons))
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ActionRefused(
            _("%(person)s is already nominated in this cycle.") % {"person": request.person}
        ) from None
    for step, endorser in zip(steps, request.endorsers, strict=True):
        endorsement = Endorsement(
            nomination=nomination,
            order=step.order,
            title=step.title,
            kind=step.kind,
            endorser=endorser,
        )
        attribute_to(endorsement, actor)
        endorsement.save()
    _advance(nomination, actor=actor)
    return nomination


def nominate(
    person: Person,
    cycle: Cycle,
    *,
    actor: User,
    endorsers: Sequence[User | None],
    rationale: str = "",
    backfill_plan: str = "",
    today: date | None = None,
) -> Nomination:
    """Nominate one employee into a cycle; the first endorser is e-mailed a link."""
    require(
        actor,
        "nominations.add_nomination",
        cycle,
        _("Only a coordinator of an organisation in this program can nominate."),
    )
    today = today or timezone.localdate()
    request = NominationRequest(person, list(endorsers), rationale, backfill_plan)
    with transaction.atomic():
        steps = chain_of(cycle.program)
        reasons = refusals_for(request, cycle, actor=actor, steps=steps, today=today)
        if reasons:
            raise ActionRefused(" ".join(reasons))
        return _create(request, cycle, actor=actor, steps=steps)


def nominate_many(
    requests: Sequence[NominationRequest], cycle: Cycle, *, actor: User
) -> list[Nomination]:
    """Create already-validated nominations in one transaction: all or none."""
    require(
        actor,
        "nominations.import_nominations",
        cycle,
        _("Only a coordinator of an organisation in this program can nominate."),
    )
    with transaction.atomic():
        steps = chain_of(cycle.program)
        return [_create(request, cycle, actor=actor, steps=steps) for request in requests]


def _advance(nomination: Nomination, *, actor: User) -> None:
    """After a change in the chain: e-mail whoever must act next, or finish the nomination."""
    endorsements = list(nomination.endorsements.select_related("endorser").order_by("order"))
    waiting = next((e for e in endorsements if e.decision == EndorsementDecision.PENDING), None)
    if waiting is not None:
        notify(
            "nominations/endorsement_request",
            [waiting.endorser],
            {
                "endorsement": waiting,
                "nomination": nomination,
                # Signed in or one step from it: through choosing a password if they never have.
                "link": sign_in_link(
                    waiting.endorser, reverse("nominations:endorse", args=[waiting.token])
                ),
            },
            key=f"nominations:endorsement:{waiting.pk}:request",
        )
        return
    WORKFLOW.perform(nomination, "complete_endorsement", actor=actor)
    account, created = account_for(nomination.person, actor=actor)
    if account is not None:
        grant_participant_role(account, actor=actor)
    page = reverse("nominations:detail", args=[nomination.pk])
    notify(
        "nominations/invitation",
        [nomination.person.work_email],
        {
            "nomination": nomination,
            # An account that never signed in goes through choosing a password to the page.
            "link": absolute_url(page) if created else sign_in_link(account, page),
            "account": account,
            "set_password_link": (
                absolute_url(welcome_path(account, page))
                if created and account is not None  # (a created account is never None)
                else ""
            ),
            "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
        key=f"nominations:nomination:{nomination.pk}:endorsed",
    )


def account_for(person: Person, *, actor: User) -> tuple[User | None, bool]:
    """The nominee's sign-in account, so that they can complete their profile and rank:
    the one linked to their profile, else an unlinked account with their work e-mail (linked
    now), else a new one (created now). Returns (account, created); (None, False) when the
    e-mail belongs to an account already linked to somebody else's profile, which an
    administrator must sort out in the admin site.

    A new account gets a long random password that nobody knows, so that the password-reset
    e-mail works for it later; the invitation carries a link to choose the real one."""
    if person.user_id is not None:
        return person.user, False
    email = person.work_email.strip().lower()
    user = users_by_email([email]).get(email)
    created = False
    if user is None:
        user_model = get_user_model()
        username = email
        if user_model.objects.filter(username=username).exists():
            username = f"{email}-{person.pk}"
        user = user_model(
            username=username,
            email=person.work_email,
            first_name=person.first_name,
            last_name=person.last_name,
        )
        user.set_password(secrets.token_urlsafe(32))
        user.save()
        created = True
    elif _has_profile(user):
        return None, False
    person.user = user
    attribute_to(person, actor)
    person.save(update_fields=["user"])
    return user, created


def grant_participant_role(user: User, *, actor: User) -> None:
    """An endorsed nominee is a participant: they rank, answer offers and sign (once; a
    grant that is already there is kept)."""
    if RoleGrant.objects.active().filter(user=user, role=Role.PARTICIPANT).exists():
        return
    role_grant = RoleGrant(user=user, role=Role.PARTICIPANT)
    attribute_to(role_grant, actor)
    role_grant.save()
    forget_roles(user)


def _has_profile(user: User) -> bool:
    try:
        return user.person is not None
    except ObjectDoesNotExist:
        return False


def _lock_current(endorsement: Endorsement) -> tuple[Nomination, Endorsement]:
    nomination = (
        Nomination.objects.select_for_update()
        .select_related("person", "cycle__program", "nominated_by")
        .get(pk=endorsement.nomination_id)
    )
    locked: Endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if locked.decision != EndorsementDecision.PENDING:
        raise ActionRefused(
            _("This step was already decided (%(decision)s); nothing was changed.")
            % {"decision": locked.get_decision_display()}
        )
    if nomination.status != NominationStatus.AWAITING_ENDORSEMENT:
        raise ActionRefused(
            _("This nomination is “%(status)s”; it no longer needs endorsement.")
            % {"status": nomination.get_status_display()}
        )
    if not Endorsement.objects.current().filter(pk=locked.pk).exists():
        raise ActionRefused(_("An earlier step of the chain has not endorsed this nomination yet."))
    refusal = signing_refusal(locked)
    if refusal:
        raise ActionRefused(refusal)
    return nomination, locked


def endorse(endorsement: Endorsement, *, actor: User, reason: str = "") -> Endorsement:
    require(
        actor,
        "nominations.endorse_nomination",
        endorsement,
        _("Only the person asked to endorse this step can endorse it."),
    )
    with transaction.atomic():
        nomination, locked = _lock_current(endorsement)
        locked.decision = EndorsementDecision.ENDORSED
        locked.reason = reason.strip()
        locked.decided_at = timezone.now()
        attribute_to(locked, actor)
        locked.save(update_fields=["decision", "reason", "decided_at"])
        _advance(nomination, actor=actor)
    return locked


def decline(endorsement: Endorsement, *, actor: User, reason: str) -> Endorsement:
    """Decline a step: the nomination ends and its coordinator is told why."""
    require(
        actor,
        "nominations.endorse_nomination",
        endorsement,
        _("Only the person asked to endorse this step can decline it."),
    )
    if not reason.strip():
        raise ActionRefused(_("Say why you decline: the coordinator will read it."))
    with transaction.atomic():
        nomination, locked = _lock_current(endorsement)
        locked.decision = EndorsementDecision.DECLINED
        locked.reason = reason.strip()
        locked.decided_at = timezone.now()
        attribute_to(locked, actor)
        locked.save(update_fields=["decision", "reason", "decided_at"])
        WORKFLOW.perform(nomination, "decline", actor=actor, note=locked.reason)
        notify(
            "nominations/declined",
            [nomination.nominated_by],
            {
                "nomination": nomination,
                "endorsement": locked,
                "link": absolute_url(reverse("nominations:detail", args=[nomination.pk])),
            },
            key=f"nominations:nomination:{nomination.pk}:declined",
        )
    return locked


def withdraw(nomination: Nomination, *, actor: User) -> Nomination:
    return WORKFLOW.perform(nomination, "withdraw", actor=actor)


def confirm_profile(nomination: Nomination, *, actor: User) -> Nomination:
    """The nominee confirms their talent profile is complete and correct."""
    return WORKFLOW.perform(
        nomination, "confirm_profile", actor=actor, profile_confirmed_at=timezone.now()
    )


def declare_conflict(
    nomination: Nomination, organization: Organization, *, actor: User, reason: str
) -> ConflictOfInterest:
    """An organisation the nominee must not be placed with; the matching engine forbids it."""
    action = WORKFLOW.by_name["declare_conflict"]
    require(actor, action.permission, nomination, action.refusal)
    if not reason.strip():
        raise ActionRefused(_("Say why this organisation is a conflict of interest."))
    if organization.pk == nomination.home_organization_id:
        raise ActionRefused(
            _("Nobody is placed with their own organisation; no need to declare it.")
        )
    with transaction.atomic():
        locked: Nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        WORKFLOW.require(locked, "declare_conflict", actor=actor)
        if ConflictOfInterest.objects.filter(
            nomination=nomination, organization=organization
        ).exists():
            raise ActionRefused(_("%(org)s is already declared.") % {"org": organization})
        conflict = ConflictOfInterest(
            nomination=nomination, organization=organization, reason=reason.strip()
        )
        attribute_to(conflict, actor)
        conflict.save()
    return conflict


def remove_conflict(conflict: ConflictOfInterest, *, actor: User) -> None:
    require(
        actor,
        "nominations.declare_conflict",
        conflict.nomination,
        _("Only the nominee or their coordinator can change conflicts of interest."),
    )
    with transaction.atomic():
        attribute_to(conflict, actor)
        conflict.delete()


def users_by_email(emails: Iterable[str]) -> dict[str, User]:
    """Existing users by lower-cased e-mail, in one query."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if not wanted:
        return {}
    users = get_user_model().objects.select_related("person").alias(email_lower=Lower("email"))
    return {u.email.lower(): u for u in users.filter(email_lower__in=sorted(wanted))}
