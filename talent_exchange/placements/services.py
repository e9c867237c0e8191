"""Writes to placements, one verb per function. Each checks permission, runs in a
transaction, locks the placement it changes, records history and refuses with a message a
person understands (``ActionRefused``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require

from .models import (
    OUTCOME_MONTHS,
    PLACEMENT_WORKFLOW,
    Agreement,
    AgreementTemplate,
    CheckIn,
    Evaluation,
    Objective,
    Outcome,
    Party,
    Placement,
    Respondent,
    Signature,
    Stage,
    Status,
    add_months,
    months_between,
)
from .rules import parties_for, respondent_roles_for

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.matches.models import Offer
    from talent_exchange.people.models import Person

# The agreement fields a party may change before everyone has signed.
TERM_FIELDS = (
    "return_position",
    "return_rights",
    "re_entry_plan",
    "return_service_months",
    "salary_home_percent",
    "salary_host_percent",
    "expenses_home_percent",
    "expenses_host_percent",
    "reimbursement",
    "appraisal_handling",
    "awards_handling",
    "conflict_statement",
    # their French versions (core/bilingual.py)
    "return_rights_fr",
    "re_entry_plan_fr",
    "appraisal_handling_fr",
    "awards_handling_fr",
    "conflict_statement_fr",
)


def _lock(placement: Placement) -> Placement:
    locked: Placement = Placement.objects.select_for_update().get(pk=placement.pk)
    return locked


# ---------------------------------------------------------------------------------------------
# Start
# ---------------------------------------------------------------------------------------------


def start_placement(offer: Offer, actor: User) -> Placement:
    """Create the placement and its draft agreement for an accepted offer. Idempotent: an
    offer has at most one placement, and calling again returns it.

    Called by the offers workflow when a participant accepts; ``actor`` is the person who
    accepted (or the administrator who recorded it). No permission check beyond the offer
    being accepted: accepting it was the decision."""
    if offer.status != "accepted":
        raise ActionRefused(_("Only an accepted offer becomes a placement."))
    existing: Placement | None = Placement.objects.filter(offer=offer).first()
    if existing:
        return existing
    nomination, opportunity = offer.nomination, offer.opportunity
    person = nomination.person
    start = opportunity.start_earliest
    end = add_months(start, opportunity.duration_months) - timedelta(days=1)
    template = AgreementTemplate.for_program(nomination.cycle.program)
    try:
        with transaction.atomic():
            placement = Placement(
                offer=offer,
                program=nomination.cycle.program,
                cycle=nomination.cycle,
                person=person,
                home_organization=nomination.home_organization,
                host_organization=opportunity.host_organization,
                coach=opportunity.coach,
                home_supervisor=person.supervisor,
                title=opportunity.title,
                title_fr=opportunity.title_fr,
                assignment_type=opportunity.assignment_type,
                start_date=start,
                end_date=end,
                planned_end_date=end,
            )
            attribute_to(placement, actor)
            placement.save()
            # The attestation: always with an external host, and in every agreement of a
            # program that requires it (its settings page).
            attestation = (
                opportunity.host_organization.is_external
                or nomination.cycle.program.requires_conflict_attestation
            )
            agreement = Agreement(
                placement=placement,
                return_position=person.position_title,
                return_rights=template.return_rights_text,
                re_entry_plan=template.re_entry_text,
                return_service_months=template.return_service_months,
                salary_home_percent=template.salary_home_percent,
                salary_host_percent=100 - template.salary_home_percent,
                expenses_home_percent=template.expenses_home_percent,
                expenses_host_percent=100 - template.expenses_home_percent,
                appraisal_handling=template.appraisal_text,
                awards_handling=template.awards_text,
                conflict_statement=(template.conflict_text if attestation else ""),
                return_rights_fr=template.return_rights_text_fr,
                re_entry_plan_fr=template.re_entry_text_fr,
                appraisal_handling_fr=template.appraisal_text_fr,
                awards_handling_fr=template.awards_text_fr,
                conflict_statement_fr=(template.conflict_text_fr if attestation else ""),
            )
            attribute_to(agreement, actor)
            agreement.save()
    except IntegrityError:
        # Two callers raced on the same offer: the other one created it.
        return Placement.objects.get(offer=offer)
    return placement


# ---------------------------------------------------------------------------------------------
# Agreement
# ---------------------------------------------------------------------------------------------


def update_terms(placement: Placement, actor: User, **terms: Any) -> Agreement:
    """Change the terms. Allowed until all three parties have signed; any signature already
    given was for the old terms, so it no longer counts (the version goes up and everyone
    signs again). A fully signed agreement is frozen."""
    require(
        actor,
        "placements.change_agreement",
        placement,
        _(
            "Only the program's administrators and the two organisations' coordinators can "
            "change the terms."
        ),
    )
    unknown = set(terms) - set(TERM_FIELDS)
    if unknown:
        raise ValueError(f"Not agreement terms: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(placement)
        agreement: Agreement = Agreement.objects.select_for_update().get(placement=locked)
        if agreement.is_frozen:
            raise ActionRefused(
                _("All three parties have signed this agreement; its terms can no longer change.")
            )
        changed = [name for name, value in terms.items() if getattr(agreement, name) != value]
        if not changed:
            return agreement
        for name in changed:
            setattr(agreement, name, terms[name])
        statement = {"conflict_statement", "conflict_statement_fr"}
        if statement & set(changed) and agreement.conflict_attested:
            agreement.conflict_attested = False  # a new statement is attested anew
            changed.append("conflict_attested")
        _check_terms(agreement, locked)
        if agreement.signatures.filter(version=agreement.version).exists():
            agreement.version += 1
            changed.append("version")
        attribute_to(agreement, actor)
        agreement.save(update_fields=changed)
    return agreement


def _check_terms(agreement: Agreement, placement: Placement) -> None:
    if agreement.salary_home_percent + agreement.salary_host_percent != 100:
        raise ActionRefused(_("The salary shares of the two organisations must add up to 100%."))
    if agreement.expenses_home_percent + agreement.expenses_host_percent != 100:
        raise ActionRefused(_("The expense shares of the two organisations must add up to 100%."))
    if placement.host_organization.is_external and not agreement.conflict_statement.strip():
        raise ActionRefused(
            _(
                "The host is an external organisation: the agreement needs a conflict-of-interest "
                "attestation."
            )
        )


def attest_no_conflict(placement: Placement, actor: User) -> Agreement:
    """The participant attests, for themselves, to the agreement's conflict-of-interest
    statement; nobody can tick it for them."""
    if Party.PARTICIPANT not in parties_for(actor, placement):
        raise PermissionDenied(
            _("Only the participant attests to having no conflict of interest, for themselves.")
        )
    with transaction.atomic():
        _lock(placement)
        agreement: Agreement = Agreement.objects.select_for_update().get(placement=placement)
        if agreement.is_frozen:
            raise ActionRefused(_("This agreement is already signed by all three parties."))
        if not agreement.conflict_statement.strip():
            raise ActionRefused(_("This agreement has no conflict-of-interest statement."))
        if not agreement.conflict_attested:
            agreement.conflict_attested = True
            attribute_to(agreement, actor)
            agreement.save(update_fields=["conflict_attested"])
    return agreement


def name_supervisors(
    placement: Placement,
    actor: User,
    *,
    home_supervisor: Person | None,
    coach: Person | None,
) -> Placement:
    """Name (or change) the home supervisor, who evaluates from the home side, and the host
    supervisor and coach. They start as the participant's supervisor in the talent file and
    the opportunity's coach; each must work for their side's organisation."""
    require(
        actor,
        "placements.manage_placement",
        placement,
        _("The program's administrators and the two organisations' coordinators name them."),
    )
    with transaction.atomic():
        locked = _lock(placement)
        if locked.status == Status.CLOSED:
            raise ActionRefused(_("The placement is closed."))
        for person, organization_id, message in (
            (
                home_supervisor,
                locked.home_organization_id,
                _("The home supervisor must work for the home organisation."),
            ),
            (
                coach,
                locked.host_organization_id,
                _("The host supervisor and coach must work for the host organisation."),
            ),
        ):
            if person is not None and person.pk == locked.person_id:
                raise ActionRefused(_("The participant cannot supervise their own assignment."))
            if person is not None and person.organization_id != organization_id:
                raise ActionRefused(message)
        locked.home_supervisor = home_supervisor
        locked.coach = coach
        attribute_to(locked, actor)
        locked.save(update_fields=["home_supervisor", "coach"])
    return locked


def current_signatures(agreement: Agreement) -> dict[str, Signature]:
    return {s.party: s for s in agreement.signatures.all() if s.version == agreement.version}


def sign_agreement(
    placement: Placement,
    actor: User,
    party: str,
    *,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """Sign the current terms for one party. When the third party signs, the agreement is
    frozen."""
    if party not in Party.values:
        raise ActionRefused(_("Choose which party you sign for."))
    if party not in parties_for(actor, placement):
        raise PermissionDenied(
            _("You cannot sign for the %(party)s.") % {"party": Party(party).label.lower()}
        )
    with transaction.atomic():
        locked = _lock(placement)
        agreement: Agreement = Agreement.objects.select_for_update().get(placement=locked)
        if agreement.is_frozen:
            raise ActionRefused(_("This agreement is already signed by all three parties."))
        _check_terms(agreement, locked)
        if (
            party == Party.PARTICIPANT
            and locked.host_organization.is_external
            and not agreement.conflict_attested
        ):
            raise ActionRefused(
                _(
                    "Before you sign, attest that you have no conflict of interest with the host "
                    "organisation (the “I attest” button beside the statement)."
                )
            )
        if agreement.signatures.filter(version=agreement.version, party=party).exists():
            raise ActionRefused(_("This party has already signed these terms."))
        signature = Signature(
            agreement=agreement,
            version=agreement.version,
            party=party,
            signed_by=actor,
            signer_name=actor.get_full_name() or actor.username,
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:400],
        )
        attribute_to(signature, actor)
        signature.save()
        signed = set(
            agreement.signatures.filter(version=agreement.version).values_list("party", flat=True)
        )
        if signed >= set(Party.values):
            agreement.frozen_at = timezone.now()
            attribute_to(agreement, actor)
            agreement.save(update_fields=["frozen_at"])
    return signature


# ---------------------------------------------------------------------------------------------
# The workflow (PLACEMENT_WORKFLOW in models.py makes the moves; these add the side effects)
# ---------------------------------------------------------------------------------------------


def _refuse_overlap(placement: Placement, start: date, end: date) -> None:
    clash = (
        Placement.objects.overlapping(placement.person_id, start, end)
        .exclude(pk=placement.pk)
        .select_related("host_organization")
        .first()
    )
    if clash:
        raise ActionRefused(
            _(
                "%(person)s already has a running placement from %(start)s to %(end)s (%(title)s); "
                "two placements of one person cannot overlap."
            )
            % {
                "person": placement.person,
                "start": clash.start_date,
                "end": clash.end_date,
                "title": clash.title,
            }
        )


def activate_placement(
    placement: Placement, actor: User, *, today: date | None = None, note: str = ""
) -> Placement:
    """The assignment starts: every party has signed and the start date has come."""
    today = today or timezone.localdate()

    def ready(locked: Placement) -> None:
        agreement = locked.agreement
        if not agreement.is_frozen:
            missing = [
                str(Party(p).label) for p in Party.values if p not in current_signatures(agreement)
            ]
            raise ActionRefused(
                _(
                    "The placement cannot start before all three parties have signed. Still to "
                    "sign: %(missing)s."
                )
                % {"missing": ", ".join(missing)}
            )
        if today < locked.start_date:
            raise ActionRefused(
                _("The placement cannot start before its start date, %(start)s.")
                % {"start": locked.start_date}
            )
        _refuse_overlap(locked, locked.start_date, locked.end_date)

    with transaction.atomic():
        locked = PLACEMENT_WORKFLOW.perform(
            placement, "activate", actor=actor, note=note, check=ready
        )
        _schedule(locked)
    return locked


def extend_placement(
    placement: Placement, actor: User, new_end: date, *, note: str = "", override: bool = False
) -> Placement:
    """Move the end date later, within the program's longest assignment unless an
    administrator overrides it."""
    PLACEMENT_WORKFLOW.check_permission(placement, "extend", actor=actor)
    if override:
        require(
            actor,
            "placements.override_placement",
            placement,
            _("Only the program's administrators can override its limits."),
        )

    def within_limits(locked: Placement) -> None:
        if new_end <= locked.end_date:
            raise ActionRefused(
                _("An extension moves the end date later than %(end)s.") % {"end": locked.end_date}
            )
        limit = locked.program.max_assignment_months
        if months_between(locked.start_date, new_end) > limit and not override:
            raise ActionRefused(
                _(
                    "The program's assignments last at most %(limit)s months; this extension "
                    "would make it %(months)s. A program administrator can override the limit."
                )
                % {"limit": limit, "months": months_between(locked.start_date, new_end)}
            )
        _refuse_overlap(locked, locked.start_date, new_end)

    previous_end = placement.end_date
    with transaction.atomic():
        locked = PLACEMENT_WORKFLOW.perform(
            placement,
            "extend",
            actor=actor,
            note=note
            or _("Extended from %(old)s to %(new)s.") % {"old": previous_end, "new": new_end},
            check=within_limits,
            end_date=new_end,
        )
        _schedule(locked)
    return locked


def end_placement_early(
    placement: Placement, actor: User, ended_on: date, reason: str
) -> Placement:
    PLACEMENT_WORKFLOW.check_permission(placement, "end_early", actor=actor)
    if not reason.strip():
        raise ActionRefused(_("Say why the assignment ends early: a reason is required."))

    def within_dates(locked: Placement) -> None:
        if not (locked.start_date <= ended_on <= locked.end_date):
            raise ActionRefused(
                _(
                    "An early end falls between the start date (%(start)s) and the end date "
                    "(%(end)s)."
                )
                % {"start": locked.start_date, "end": locked.end_date}
            )

    with transaction.atomic():
        locked = PLACEMENT_WORKFLOW.perform(
            placement,
            "end_early",
            actor=actor,
            note=reason,
            check=within_dates,
            end_date=ended_on,
            end_reason=reason.strip(),
        )
        _schedule(locked)
    return locked


def record_return(
    placement: Placement, actor: User, returned_on: date, position: str, *, note: str = ""
) -> Placement:
    """The participant is back home; outcomes are now due at 6, 12 and 24 months."""
    PLACEMENT_WORKFLOW.check_permission(placement, "return", actor=actor)
    if not position.strip():
        raise ActionRefused(_("Name the position the participant returned to."))

    def after_start(locked: Placement) -> None:
        if returned_on < locked.start_date:
            raise ActionRefused(_("The return cannot be before the start of the assignment."))

    with transaction.atomic():
        locked = PLACEMENT_WORKFLOW.perform(
            placement,
            "return",
            actor=actor,
            note=note,
            check=after_start,
            returned_on=returned_on,
            returned_to_position=position.strip(),
        )
        for months in OUTCOME_MONTHS:
            Outcome.objects.get_or_create(
                placement=locked,
                months_after=months,
                defaults={"due_on": add_months(returned_on, months)},
            )
    return locked


def close_placement(placement: Placement, actor: User, *, note: str = "") -> Placement:
    return PLACEMENT_WORKFLOW.perform(placement, "close", actor=actor, note=note)


def _schedule(placement: Placement) -> None:
    """Check-ins every month (or the program's interval) from the start to the end, and the
    mid-point and final evaluations; re-run after the dates change. Check-ins already held
    stay; unheld ones after a shortened end go."""
    template = AgreementTemplate.for_program(placement.program)
    interval = max(template.checkin_interval_months, 1)
    wanted = []
    n = 1
    while (due := add_months(placement.start_date, interval * n)) <= placement.end_date:
        wanted.append(due)
        n += 1
    if not wanted:  # an assignment shorter than the interval still has one check-in
        wanted.append(placement.start_date + (placement.end_date - placement.start_date) / 2)
    existing = {c.due_on: c for c in placement.checkins.all()}
    for due, checkin in existing.items():
        if checkin.held_on is None and due > placement.end_date:
            checkin.delete()
    CheckIn.objects.bulk_create(
        [CheckIn(placement=placement, due_on=due) for due in wanted if due not in existing]
    )
    midpoint = placement.start_date + (placement.end_date - placement.start_date) / 2
    for stage, due in ((Stage.MIDPOINT, midpoint), (Stage.FINAL, placement.end_date)):
        for respondent in Respondent.values:
            evaluation, created = Evaluation.objects.get_or_create(
                placement=placement, stage=stage, respondent=respondent, defaults={"due_on": due}
            )
            if not created and evaluation.submitted_at is None and evaluation.due_on != due:
                evaluation.due_on = due
                evaluation.save(update_fields=["due_on"])


# ---------------------------------------------------------------------------------------------
# During and after
# ---------------------------------------------------------------------------------------------


def add_objective(
    placement: Placement, actor: User, description: str, indicators: str
) -> Objective:
    PLACEMENT_WORKFLOW.require(placement, "write_objective", actor=actor)
    objective = Objective(
        placement=placement,
        description=description.strip(),
        indicators=indicators.strip(),
        written_by=actor,
    )
    attribute_to(objective, actor)
    objective.save()
    return objective


def review_objective(
    objective: Objective, actor: User, achievement: str, evidence: str
) -> Objective:
    PLACEMENT_WORKFLOW.require(objective.placement, "review_objective", actor=actor)
    if not evidence.strip():
        raise ActionRefused(_("Give the evidence for the result."))
    with transaction.atomic():
        locked: Objective = Objective.objects.select_for_update().get(pk=objective.pk)
        locked.achievement = achievement
        locked.evidence = evidence.strip()
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        attribute_to(locked, actor)
        locked.save()
    return locked


def record_checkin(checkin: CheckIn, actor: User, held_on: date, notes: str) -> CheckIn:
    require(
        actor,
        "placements.record_checkin",
        checkin.placement,
        _("The coach and the participant record their check-ins."),
    )
    if held_on < checkin.placement.start_date:
        raise ActionRefused(_("A check-in is held during the assignment."))
    if held_on > timezone.localdate():
        raise ActionRefused(_("Record a check-in once it has been held, not before."))
    with transaction.atomic():
        locked: CheckIn = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        locked.held_on = held_on
        locked.notes = notes.strip()
        locked.recorded_by = actor
        attribute_to(locked, actor)
        locked.save()
    return locked


def submit_evaluation(evaluation: Evaluation, actor: User, **answers: Any) -> Evaluation:
    if evaluation.respondent not in respondent_roles_for(actor, evaluation.placement):
        raise PermissionDenied(_("This evaluation is for someone else to complete."))
    if evaluation.placement.status == Status.AGREEMENT:
        raise ActionRefused(_("Evaluations open once the assignment has started."))
    with transaction.atomic():
        locked: Evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.submitted_at is not None:
            raise ActionRefused(_("This evaluation has already been submitted."))
        for name in ("rating", "comments", "lessons_learned", "share_with_program"):
            if name in answers:
                setattr(locked, name, answers[name])
        if locked.stage != Stage.FINAL:
            locked.lessons_learned, locked.share_with_program = "", False
        locked.submitted_by = actor
        locked.submitted_at = timezone.now()
        attribute_to(locked, actor)
        locked.save()
    return locked


def record_outcome(
    outcome: Outcome, actor: User, *, today: date | None = None, **answers: Any
) -> Outcome:
    """Record where the participant is at a milestone; refused before the outcome opens (its
    due date less ``OUTCOME_EARLY_DAYS``)."""
    require(
        actor,
        "placements.record_outcome",
        outcome.placement,
        _("The program's administrators and the home coordinator record outcomes."),
    )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked: Outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
        if not locked.is_open(today):
            raise ActionRefused(
                _(
                    "The %(months)s-month outcome opens on %(date)s, two weeks before it is "
                    "due: where the participant stands is not known before then."
                )
                % {"months": locked.months_after, "date": date_format(locked.opens_on)}
            )
        for name in (
            "promoted",
            "new_role",
            "still_with_home",
            "obligation_fulfilled",
            "position",
            "notes",
        ):
            if name in answers:
                setattr(locked, name, answers[name])
        locked.recorded_by = actor
        locked.recorded_at = timezone.now()
        attribute_to(locked, actor)
        locked.save()
    return locked
