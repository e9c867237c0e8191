"""Who may do what to a nomination. Read with ``user.has_perm("nominations.…", obj)``.

- home coordinators nominate their own organisation's employees and see those nominations;
- program administrators see every nomination of their programs and set the endorsement chain;
- an endorser sees the nominations they are asked to endorse, and only they may sign their step;
- the nominee sees their own nomination, confirms the profile and declares conflicts;
- auditors read everything and write nothing.
"""

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.permissions import in_scope
from talent_exchange.core.predicates import coordinates_org_of, is_auditor, is_superuser
from talent_exchange.opportunities.rules import coordinates_in_program
from talent_exchange.programs.rules import administers_program


@rules.predicate
def sees_nomination(user, nomination) -> bool:
    """In the user's scope, as ``Nomination.objects.visible_to`` draws it."""
    from .models import Nomination

    if nomination is None:
        roles = roles_of(user)
        return roles.is_program_admin or roles.is_coordinator
    if in_scope(nomination, user):
        return True
    return Nomination.objects.visible_to(user).filter(pk=nomination.pk).exists()


@rules.predicate
def is_nominee(user, nomination) -> bool:
    roles = roles_of(user)
    if nomination is None:
        return roles.person_id is not None
    return roles.person_id is not None and nomination.person_id == roles.person_id


@rules.predicate
def is_the_endorser(user, endorsement) -> bool:
    return endorsement is not None and endorsement.endorser_id == user.pk


@rules.predicate
def coordinates_home_of(user, obj) -> bool:
    nomination = getattr(obj, "nomination", obj)
    return coordinates_org_of.test(user, nomination)


@rules.predicate
def endorses_anything(user) -> bool:
    from .models import Endorsement

    return user.is_authenticated and Endorsement.objects.filter(endorser=user).exists()


rules.add_perm(
    "nominations.list_nominations",
    is_auditor | administers_program | coordinates_org_of,
)
rules.add_perm("nominations.view_nomination", is_auditor | sees_nomination)
# ``add`` is asked about a cycle on the pages, and about the kind (None) in the admin.
rules.add_perm("nominations.add_nomination", coordinates_in_program)
rules.add_perm("nominations.import_nominations", coordinates_in_program)
rules.add_perm("nominations.withdraw_nomination", coordinates_home_of)
rules.add_perm("nominations.change_nomination", rules.always_deny)  # only through services
rules.add_perm("nominations.delete_nomination", is_superuser)
rules.add_perm("nominations.confirm_profile", is_nominee | coordinates_home_of)
rules.add_perm("nominations.declare_conflict", is_nominee | coordinates_home_of)
rules.add_perm("nominations.endorse_nomination", is_the_endorser)
rules.add_perm("nominations.list_endorsements", endorses_anything | is_auditor)

rules.add_perm("nominations.view_endorsement", is_auditor | is_the_endorser | administers_program)
rules.add_perm("nominations.view_conflictofinterest", is_auditor | administers_program)

# The program's endorsement chain: its administrators set it (in the Django admin).
rules.add_perm("nominations.view_endorsementstep", is_auditor | administers_program)
rules.add_perm("nominations.add_endorsementstep", administers_program)
rules.add_perm("nominations.change_endorsementstep", administers_program)
rules.add_perm("nominations.delete_endorsementstep", administers_program)


@rules.predicate
def uploaded(user, job) -> bool:
    return job is not None and job.uploaded_by_id == user.pk


# An import's report names people: only whoever uploaded it (and auditors) may read it.
rules.add_perm("nominations.view_nominationimport", is_auditor | uploaded)
