"""Who may do what to a talent profile. Read with ``user.has_perm("people.…", person)``."""

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import (
    administers_org_of,
    coordinates_org_of,
    has_any_role,
    is_any_coordinator,
    is_any_program_admin,
    is_auditor,
    reviews_org_of,
)


@rules.predicate
def is_self(user, person) -> bool:
    roles = roles_of(user)
    if person is None:
        return roles.person_id is not None
    return roles.person_id is not None and person.pk == roles.person_id


@rules.predicate
def supervises(user, person) -> bool:
    roles = roles_of(user)
    if person is None:
        return bool(roles.supervisor_org_ids) and roles.person_id is not None
    return roles.person_id is not None and person.supervisor_id == roles.person_id


# The employment record — organisation, work e-mail, supervisor, classification, years of
# service, designations and the mobility history — decides who is eligible for a program, so
# the employer keeps it: the organisation's coordinators and the program's administrators.
# The person edits the rest of their profile (skills, goals, the assignments they would take).
keeps_employment_record = administers_org_of | coordinates_org_of


@rules.predicate
def is_mobility_record_editor(user, record) -> bool:
    person = None if record is None else record.person
    return keeps_employment_record.test(user, person)


can_view_person = (
    is_auditor | administers_org_of | coordinates_org_of | reviews_org_of | is_self | supervises
)
can_change_person = administers_org_of | coordinates_org_of | is_self

rules.add_perm("people.list_people", has_any_role)
rules.add_perm("people.view_person", can_view_person)
rules.add_perm("people.add_person", is_any_program_admin | is_any_coordinator)
rules.add_perm("people.change_person", can_change_person)
rules.add_perm("people.delete_person", administers_org_of | coordinates_org_of)
rules.add_perm("people.keep_employment_record", keeps_employment_record)

rules.add_perm("people.view_mobilityrecord", is_auditor | is_any_program_admin | is_any_coordinator)
rules.add_perm("people.add_mobilityrecord", is_any_program_admin | is_any_coordinator)
rules.add_perm("people.change_mobilityrecord", is_mobility_record_editor)
rules.add_perm("people.delete_mobilityrecord", is_mobility_record_editor)

# The shared vocabulary is program data: administrators curate it, everyone reads it.
rules.add_perm("people.view_skill", has_any_role)
rules.add_perm("people.add_skill", is_any_program_admin)
rules.add_perm("people.change_skill", is_any_program_admin)
rules.add_perm("people.delete_skill", is_any_program_admin)
rules.add_perm("people.view_designation", has_any_role)
rules.add_perm("people.add_designation", is_any_program_admin)
rules.add_perm("people.change_designation", is_any_program_admin)
rules.add_perm("people.delete_designation", is_any_program_admin)
