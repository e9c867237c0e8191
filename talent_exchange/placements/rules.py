"""Who may do what to a placement. Read with ``user.has_perm("placements.…", placement)``.

Objects passed to the predicates are placements (or None for "some placement"). Parties:
the participant (the Person's user), the home organisation (its coordinators), the host
organisation (its coordinators); the coach is the host supervisor, the home supervisor is
the participant's supervisor when the placement started.
"""

from __future__ import annotations

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import (
    has_any_role,
    is_any_program_admin,
    is_auditor,
    is_superuser,
)
from talent_exchange.programs.rules import administers_program, sits_on_program_board


def _placement(obj):
    return getattr(obj, "placement", obj)


@rules.predicate
def coordinates_placement_org(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return roles.is_coordinator
    p = _placement(obj)
    return bool({p.home_organization_id, p.host_organization_id} & roles.coordinator_org_ids)


@rules.predicate
def is_placed_person(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return roles.person_id is not None
    return roles.person_id is not None and _placement(obj).person_id == roles.person_id


@rules.predicate
def coaches(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return roles.person_id is not None
    return roles.person_id is not None and _placement(obj).coach_id == roles.person_id


@rules.predicate
def home_supervises(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return roles.person_id is not None
    return roles.person_id is not None and _placement(obj).home_supervisor_id == roles.person_id


def parties_for(user, placement) -> list[str]:
    """The parties this user may sign for on this placement."""
    roles = roles_of(user)
    parties = []
    if roles.person_id and placement.person_id == roles.person_id:
        parties.append("participant")
    if placement.home_organization_id in roles.coordinator_org_ids:
        parties.append("home")
    if placement.host_organization_id in roles.coordinator_org_ids:
        parties.append("host")
    return parties


def respondent_roles_for(user, placement) -> list[str]:
    """The evaluations this user answers on this placement."""
    roles = roles_of(user)
    if not roles.person_id:
        return []
    answers = []
    if placement.person_id == roles.person_id:
        answers.append("participant")
    if placement.coach_id == roles.person_id:
        answers.append("host_supervisor")
    if placement.home_supervisor_id == roles.person_id:
        answers.append("home_supervisor")
    return answers


@rules.predicate
def is_a_party(user, obj) -> bool:
    if obj is None:
        return has_any_role(user)
    return bool(parties_for(user, _placement(obj)))


can_view = (
    is_auditor
    | administers_program
    | coordinates_placement_org
    | is_placed_person
    | coaches
    | home_supervises
)
can_manage = is_superuser | administers_program | coordinates_placement_org


@rules.predicate
def has_profile(user) -> bool:
    """A coach or home supervisor may hold no role grant, only a talent profile."""
    return roles_of(user).person_id is not None


rules.add_perm("placements.list_placements", has_any_role | has_profile)
rules.add_perm("placements.view_placement", can_view)
rules.add_perm("placements.change_agreement", can_manage)
rules.add_perm("placements.sign_agreement", is_a_party)
rules.add_perm("placements.manage_placement", can_manage)
rules.add_perm("placements.override_placement", is_superuser | administers_program)
rules.add_perm("placements.close_placement", is_superuser | administers_program)
rules.add_perm(
    "placements.write_objective",
    is_superuser | administers_program | is_placed_person | coaches,
)
rules.add_perm(
    "placements.record_checkin",
    is_superuser | administers_program | is_placed_person | coaches,
)
rules.add_perm("placements.submit_evaluation", is_placed_person | coaches | home_supervises)
rules.add_perm(
    "placements.record_outcome",
    is_superuser | administers_program | coordinates_placement_org,
)

# Program-level pages: shared lessons and results. Objects are programs.
rules.add_perm(
    "placements.view_program_results",
    is_superuser | is_auditor | administers_program | sits_on_program_board,
)
rules.add_perm("placements.view_lessons", has_any_role)

# The admin asks the standard names: the back office is for the superuser, auditors read it,
# and program administrators edit their own program's agreement template there.
for model in (
    "signature",
    "objective",
    "checkin",
    "evaluation",
    "outcome",
    "placementtransition",
):
    rules.add_perm(f"placements.view_{model}", is_auditor | is_superuser)
    rules.add_perm(f"placements.add_{model}", is_superuser)
    rules.add_perm(f"placements.change_{model}", is_superuser)
    rules.add_perm(f"placements.delete_{model}", is_superuser)
rules.add_perm("placements.view_agreement", can_view)
rules.add_perm("placements.add_agreement", is_superuser)
rules.add_perm("placements.delete_agreement", is_superuser)
rules.add_perm("placements.add_placement", is_superuser)
rules.add_perm("placements.change_placement", is_superuser)
rules.add_perm("placements.delete_placement", is_superuser)


rules.add_perm(
    "placements.view_agreementtemplate",
    is_auditor | is_superuser | administers_program,
)
rules.add_perm("placements.add_agreementtemplate", is_superuser | is_any_program_admin)
rules.add_perm("placements.change_agreementtemplate", is_superuser | administers_program)
rules.add_perm("placements.delete_agreementtemplate", is_superuser)
