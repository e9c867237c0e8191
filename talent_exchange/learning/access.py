"""Who belongs to which cohort, read once per request.

A person's cohorts come from the placements: the participant, the host supervisor (coach)
and the home supervisor of a placement belong to its cycle's cohort and its program's
community. A participant whose placement is over (returned or closed) is an alumnus of the
program: every space of that program is open to them. Circles come from their membership.
The answer is cached on the user, like ``roles_of``, so predicates and ``visible_to`` cost
no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q

from talent_exchange.accounts.roles import UserRoles, roles_of

_CACHE_ATTR = "_talent_exchange_learning_scope"
# A placement in one of these states has ended: its participant is an alumnus.
ALUMNI_STATES = ("returned", "closed")


@dataclass(frozen=True)
class LearningScope:
    cycle_ids: frozenset[int] = field(default_factory=frozenset)
    program_ids: frozenset[int] = field(default_factory=frozenset)
    alumni_program_ids: frozenset[int] = field(default_factory=frozenset)
    circle_ids: frozenset[int] = field(default_factory=frozenset)

    def reaches(self, program_id: int, cycle_id: int | None) -> bool:
        """The person belongs to the space of this program (and cycle, when given)."""
        if program_id in self.alumni_program_ids:
            return True
        if cycle_id is None:
            return program_id in self.program_ids
        return cycle_id in self.cycle_ids


NOBODY = LearningScope()


def scope_of(user: Any) -> tuple[UserRoles, LearningScope]:
    roles = roles_of(user)
    if not roles.person_id:
        return roles, NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return roles, cached
    scope = _load(roles.person_id)
    setattr(user, _CACHE_ATTR, scope)
    return roles, scope


def forget_scope(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _load(person_id: int) -> LearningScope:
    placement = apps.get_model("placements", "Placement")
    circle = apps.get_model("learning", "Circle")
    cycles: set[int] = set()
    programs: set[int] = set()
    alumni: set[int] = set()
    rows = placement.objects.filter(
        Q(person_id=person_id) | Q(coach_id=person_id) | Q(home_supervisor_id=person_id)
    ).values_list("cycle_id", "program_id", "person_id", "status")
    for cycle_id, program_id, participant_id, status in rows:
        cycles.add(cycle_id)
        programs.add(program_id)
        if participant_id == person_id and status in ALUMNI_STATES:
            alumni.add(program_id)
    circles = frozenset(circle.objects.filter(members=person_id).values_list("pk", flat=True))
    return LearningScope(frozenset(cycles), frozenset(programs), frozenset(alumni), circles)
