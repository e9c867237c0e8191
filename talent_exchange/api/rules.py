"""Who may use the JSON API, and the stand-in rules it uses until the cycle apps publish
their own.

The API answers with the same permissions as the pages: rows are scoped by the models'
``visible_to(user)`` and each object is checked with ``user.has_perm("app.perm", obj)``.
While an app has not yet registered a permission the API asks for (the cycle apps are being
written), :func:`talent_exchange.api.access.require` falls back to the predicate named here,
the closest rule that already exists; once the app registers the permission, its rule wins.
"""

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import (
    coordinates_org_of,
    has_any_role,
    is_any_coordinator,
    is_any_program_admin,
    is_auditor,
    is_superuser,
)
from talent_exchange.programs.rules import administers_program, can_see_program

# Signed in and holding any role: the API's front door (the pages' dashboard asks the same).
rules.add_perm("api.use_api", has_any_role)


@rules.predicate
def administers_program_of(user, obj) -> bool:
    """The object's program (a cycle's, or the cycle's of an opportunity, a nomination or a
    match run) is one this user administers."""
    if obj is None or hasattr(obj, "program_id"):
        return administers_program.test(user, obj)
    return administers_program.test(user, obj.cycle)


@rules.predicate
def is_nominee(user, nomination) -> bool:
    roles = roles_of(user)
    if nomination is None:
        return roles.person_id is not None
    return roles.person_id is not None and nomination.person_id == roles.person_id


# Fallbacks, by the permission the API asks for first (see the module docstring). Each
# mirrors the rule its app registers (or is expected to), so the API behaves the same before
# and after the app's rules.py lands.
FALLBACKS = {
    "programs.view_cycle": is_auditor | can_see_program,
    # opportunities: any role lists (rows scoped by visible_to); each row as visible_to says
    "opportunities.list_opportunities": has_any_role,
    "opportunities.view_opportunity": has_any_role,
    # nominations: the list is for administrators, coordinators and auditors, as on the pages;
    # a nomination itself is for whoever visible_to lets see it
    "nominations.list_nominations": is_auditor | is_any_program_admin | is_any_coordinator,
    "nominations.view_nomination": has_any_role,
    # a participant's ranking: the nominee, the program's administrators, auditors
    "preferences.view_participant_ranking": is_superuser
    | is_auditor
    | is_nominee
    | administers_program_of,
    "preferences.rank_opportunities": is_superuser | is_nominee | administers_program_of,
    # host rankings: the host's coordinators and the program's administrators
    "preferences.view_host_ranking": is_superuser
    | is_auditor
    | administers_program_of
    | coordinates_org_of,
    # match runs and the market are the administrators' working material
    "matches.list_runs": is_superuser | is_auditor | administers_program_of,
    "matches.view_matchrun": is_superuser | is_auditor | administers_program_of,
    "matches.export_market": is_superuser | is_auditor | administers_program_of,
}
