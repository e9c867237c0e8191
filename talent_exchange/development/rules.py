"""Who may do what in executive development.

A development plan is seen by the person, their supervisor, the board of the plan's program
and the program's administrators (and auditors, read-only) — nobody else, not an
organisation's coordinator. Boards act only for their own program.
"""

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import coordinates_org_of, has_any_role, is_auditor
from talent_exchange.programs.rules import administers_program, sits_on_program_board


def _person_of(obj):
    return getattr(obj, "person", obj) if obj is not None else None


@rules.predicate
def is_plan_owner(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return roles.person_id is not None
    person = _person_of(obj)
    return roles.person_id is not None and person.pk == roles.person_id


@rules.predicate
def supervises_plan_owner(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return bool(roles.supervisor_org_ids) and roles.person_id is not None
    person = _person_of(obj)
    return roles.person_id is not None and person.supervisor_id == roles.person_id


@rules.predicate
def board_of_program(user, obj) -> bool:
    """For an object with a program (a plan, an exception, a session), or a program itself."""
    return sits_on_program_board.test(user, obj)


can_view_plan = (
    is_auditor | is_plan_owner | supervises_plan_owner | board_of_program | administers_program
)

rules.add_perm("development.list_plans", has_any_role)
rules.add_perm("development.view_developmentplan", can_view_plan)
rules.add_perm(
    "development.add_developmentplan",
    is_plan_owner | supervises_plan_owner | administers_program,
)
rules.add_perm("development.change_developmentplan", is_plan_owner | supervises_plan_owner)
rules.add_perm("development.delete_developmentplan", administers_program)
rules.add_perm("development.submit_plan", is_plan_owner)
rules.add_perm("development.approve_plan", supervises_plan_owner | board_of_program)
rules.add_perm(
    "development.write_progress",
    is_plan_owner | supervises_plan_owner,
)
rules.add_perm("development.view_planitem", can_view_plan)
rules.add_perm("development.view_progressentry", can_view_plan)
rules.add_perm("development.view_plantransition", can_view_plan)

# Mobility: the program's administrator sets the rule; exceptions are requested by the
# person, their supervisor or the administrator, and decided by the board.
rules.add_perm("development.view_mobilityrule", is_auditor | administers_program | board_of_program)
rules.add_perm("development.change_mobilityrule", administers_program)
rules.add_perm("development.view_compliance", is_auditor | administers_program | board_of_program)
rules.add_perm(
    "development.view_mobilityexception",
    is_auditor | is_plan_owner | supervises_plan_owner | administers_program | board_of_program,
)
rules.add_perm(
    "development.request_exception",
    is_plan_owner | supervises_plan_owner | administers_program,
)
rules.add_perm("development.decide_exception", board_of_program)

rules.add_perm(
    "development.view_mobilityagreement",
    is_auditor | is_plan_owner | supervises_plan_owner | administers_program | board_of_program,
)
rules.add_perm("development.sign_mobilityagreement", is_plan_owner)

# Board review sessions (objects: a session, or the program).
rules.add_perm(
    "development.view_reviewsession", is_auditor | administers_program | board_of_program
)
rules.add_perm("development.add_reviewsession", administers_program | board_of_program)
rules.add_perm("development.decide_review", board_of_program)

# Talent search and succession
rules.add_perm(
    "development.search_talent", administers_program | board_of_program | coordinates_org_of
)
rules.add_perm(
    "development.view_successionplan",
    is_auditor | administers_program | board_of_program | coordinates_org_of,
)
rules.add_perm("development.change_successionplan", administers_program)

# The Django admin (back office) asks the same rules.
rules.add_perm("development.view_frameworkversion", has_any_role)
rules.add_perm("development.view_competency", has_any_role)

# Interchange reporting: the program's administrators file the reports.
rules.add_perm("development.file_assignment_report", administers_program)
rules.add_perm("development.view_assignmentreport", is_auditor | administers_program)
