"""Who may sign the steps of a nomination's endorsement chain.

The rule (issue 16, finding 3), checked when the coordinator names the endorsers and again
when each endorser signs, so that pages, e-mail links and the API obey it alike:

1. the nominee does not endorse their own nomination;
2. whoever nominates does not endorse it;
3. one person signs at most one step of a chain;
4. every endorser has a profile in the nominee's organisation, and fits the step's kind:
   ``supervisor`` — the supervisor recorded on the nominee's profile;
   ``manager`` — a manager above that supervisor in the recorded reporting line (the
   supervisor's supervisor, theirs, …), e.g. a department head;
   ``organization`` — anyone of the nominee's organisation, e.g. the chief executive.

"The same person" means the same account, the same profile, or the same e-mail address
(an account's e-mail or a profile's work e-mail, compared case-insensitively), so a second
account under one's own address does not make a second person.

``refusals(...)`` is a pure function of plain facts, so the property tests can drive it; the
``*_of`` functions gather those facts from the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from .models import EndorserKind

if TYPE_CHECKING:
    from talent_exchange.people.models import Person

# A reporting line longer than this is a data error (or a loop); we stop reading it there.
MAX_REPORTING_LINE = 50


@dataclass(frozen=True)
class Signer:
    """One person, as the rule compares people."""

    label: str  # how the messages name them (an e-mail address)
    user_id: int | None = None
    person_id: int | None = None
    organization_id: int | None = None
    emails: frozenset[str] = frozenset()

    def is_same_person_as(self, other: Signer) -> bool:
        return (
            (self.user_id is not None and self.user_id == other.user_id)
            or (self.person_id is not None and self.person_id == other.person_id)
            or bool(self.emails & other.emails)
        )


@dataclass(frozen=True)
class Nominee:
    signer: Signer
    organization_id: int
    organization_name: str
    supervisor_id: int | None = None
    supervisor_name: str = ""
    # person ids above the supervisor in the recorded reporting line
    managers: frozenset[int] = frozenset()


def _emails(*addresses: str | None) -> frozenset[str]:
    return frozenset(a.strip().lower() for a in addresses if a and a.strip())


def refusals(
    kinds: Sequence[str],
    endorsers: Sequence[Signer | None],
    *,
    nominee: Nominee,
    nominator: Signer | None,
) -> dict[int, list[str]]:
    """Why each step's endorser may not sign it: {index in the chain: reasons}. A step with
    no endorser (None) is not judged here; the caller asks for one."""
    found: dict[int, list[str]] = {}
    for i, (kind, endorser) in enumerate(zip(kinds, endorsers, strict=True)):
        if endorser is None:
            continue
        reasons = found.setdefault(i, [])
        if endorser.is_same_person_as(nominee.signer):
            reasons.append(_("Nominees cannot endorse their own nomination."))
        if nominator is not None and endorser.is_same_person_as(nominator):
            reasons.append(_("Whoever nominates cannot also endorse the nomination."))
        twins = [
            j + 1
            for j, other in enumerate(endorsers)
            if j != i and other is not None and endorser.is_same_person_as(other)
        ]
        if twins:
            reasons.append(
                _("%(who)s is also named for step %(steps)s; one person signs one step.")
                % {"who": endorser.label, "steps": ", ".join(str(n) for n in twins)}
            )
        reasons.extend(_fit(kind, endorser, nominee))
        if not reasons:
            del found[i]
    return found


def _fit(kind: str, endorser: Signer, nominee: Nominee) -> list[str]:
    if endorser.person_id is None or endorser.organization_id != nominee.organization_id:
        return [
            _(
                "%(who)s has no profile in %(org)s; endorsers are people of the nominee’s "
                "organisation."
            )
            % {"who": endorser.label, "org": nominee.organization_name}
        ]
    if kind == EndorserKind.SUPERVISOR and endorser.person_id != nominee.supervisor_id:
        if nominee.supervisor_id is None:
            return [
                _(
                    "This step is signed by the nominee’s supervisor, and their profile names "
                    "none; record the supervisor first."
                )
            ]
        return [
            _("This step is signed by the nominee’s supervisor, %(name)s.")
            % {"name": nominee.supervisor_name}
        ]
    if kind == EndorserKind.MANAGER and endorser.person_id not in nominee.managers:
        return [
            _(
                "This step is signed by a manager above the nominee’s supervisor in the "
                "reporting line recorded on the profiles (the supervisor’s supervisor, and so on)."
            )
        ]
    return []


# -- facts from the database ------------------------------------------------------------------


def signer_of(user: Any) -> Signer | None:
    """The person behind an account (None for no account). Reads ``user.person`` (select it
    with the user to save a query)."""
    if user is None:
        return None
    try:
        person = user.person
    except ObjectDoesNotExist:
        person = None
    return Signer(
        label=user.email or user.get_username(),
        user_id=user.pk,
        person_id=person.pk if person else None,
        organization_id=person.organization_id if person else None,
        emails=_emails(user.email, person.work_email if person else None),
    )


def nominee_of(person: Person, *, with_managers: bool = True) -> Nominee:
    """The nominee's side of the rule: who they are, their supervisor and the managers above.
    The reporting line costs a query per level; ask for it only when a step needs it."""
    from talent_exchange.people.models import Person

    account_email = person.user.email if person.user is not None else None
    supervisor = person.supervisor if person.supervisor_id else None
    managers: set[int] = set()
    if with_managers and supervisor is not None:
        seen = {person.pk, supervisor.pk}
        above = supervisor.supervisor_id
        while above is not None and above not in seen and len(managers) < MAX_REPORTING_LINE:
            managers.add(above)
            seen.add(above)
            above = Person.objects.filter(pk=above).values_list("supervisor_id", flat=True).first()
    return Nominee(
        signer=Signer(
            label=person.work_email,
            user_id=person.user_id,
            person_id=person.pk,
            organization_id=person.organization_id,
            emails=_emails(person.work_email, account_email),
        ),
        organization_id=person.organization_id,
        organization_name=str(person.organization),
        supervisor_id=person.supervisor_id,
        supervisor_name=str(supervisor) if supervisor else "",
        managers=frozenset(managers),
    )


def chain_refusals(
    person: Person, kinds: Sequence[str], endorsers: Sequence[Any], *, nominator: Any
) -> dict[int, list[str]]:
    """``refusals`` for a chain of accounts (None where no endorser is named yet)."""
    return refusals(
        kinds,
        [signer_of(user) for user in endorsers],
        nominee=nominee_of(person, with_managers=EndorserKind.MANAGER in kinds),
        nominator=signer_of(nominator),
    )
