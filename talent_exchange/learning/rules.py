"""Who may do what in the learning spaces.

- The program's administrator runs the calendar: series, sessions, invitations, circles,
  attendance, the completion rule, and moderates the community.
- The cohort (participants, coaches, home supervisors of the cycle's placements) and the
  program's alumni read the calendar and the community, and post there; someone outside
  the cohort is refused.
- Only those invited answer an invitation; only those marked present leave feedback; the
  organiser and the administrators read the feedback summary.
- The auditor reads everything and changes nothing.
"""

from __future__ import annotations

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import is_auditor
from talent_exchange.programs.rules import administers_program

from .access import scope_of


def _where(obj) -> tuple[int, int | None]:
    """(program id, cycle id or None) of a program, a cycle, a session, a thread or a circle."""
    from talent_exchange.programs.models import Cycle, Program

    if isinstance(obj, Program):
        return obj.pk, None
    if isinstance(obj, Cycle):
        return obj.program_id, obj.pk
    return obj.program_id, obj.cycle_id


@rules.predicate
def in_cohort(user, obj) -> bool:
    """A member of the cohort of the object's cycle (or of the program, for program-wide
    spaces), or an alumnus of its program. A circle's session: a member of the circle."""
    roles, scope = scope_of(user)
    if not roles.person_id:
        return False
    if obj is None:
        return bool(scope.program_ids or scope.circle_ids)
    obj = _space(obj)
    circle_id = getattr(obj, "circle_id", None)
    if circle_id is not None:
        return circle_id in scope.circle_ids
    program_id, cycle_id = _where(_space(obj))
    return scope.reaches(program_id, cycle_id)


def _space(obj):
    """The session or thread a material or a post belongs to; else the object itself."""
    from .models import Material, Post

    if isinstance(obj, Material):
        return obj.session or obj.thread
    if isinstance(obj, Post):
        return obj.thread
    return obj


@rules.predicate
def in_circle(user, circle) -> bool:
    _roles, scope = scope_of(user)
    if circle is None:
        return bool(scope.circle_ids)
    return circle.pk in scope.circle_ids


@rules.predicate
def is_invited(user, session) -> bool:
    from .models import Invitation

    roles, _scope = scope_of(user)
    if not roles.person_id:
        return False
    if session is None:
        return True
    return Invitation.objects.filter(session=session, person_id=roles.person_id).exists()


@rules.predicate
def organises(user, session) -> bool:
    if session is None:
        return False
    return session.organiser_id == user.pk


@rules.predicate
def has_talent_profile(user) -> bool:
    return roles_of(user).person_id is not None


@rules.predicate
def is_material_manager(user, material) -> bool:
    """Whoever may add material to its session or thread may also see it removed."""
    if material is None:
        return False
    return material.added_by_id == user.pk


# The calendar of a cycle or a program, its sessions and their .ics.
rules.add_perm("learning.view_calendar", is_auditor | administers_program | in_cohort)
rules.add_perm("learning.manage_calendar", administers_program)
rules.add_perm("learning.view_session", is_auditor | administers_program | in_cohort | is_invited)
rules.add_perm("learning.manage_session", administers_program)
rules.add_perm("learning.rsvp_session", is_invited)
rules.add_perm("learning.take_attendance", administers_program | organises)
rules.add_perm("learning.give_feedback", is_invited)
rules.add_perm("learning.read_feedback", is_auditor | administers_program | organises)
# Materials: the administrators on sessions; on a thread, anyone who may post in it.
rules.add_perm("learning.add_session_material", administers_program)
rules.add_perm("learning.add_thread_material", administers_program | in_cohort)
rules.add_perm(
    "learning.view_material", is_auditor | administers_program | in_cohort | is_material_manager
)
# A person's own calendar feed (sessions and interviews), at a secret address.
rules.add_perm("learning.own_calendar_feed", has_talent_profile)
# Peer circles.
rules.add_perm("learning.manage_circles", administers_program)
rules.add_perm("learning.view_circle", is_auditor | administers_program | in_circle)
# The community of practice.
rules.add_perm("learning.view_forum", is_auditor | administers_program | in_cohort)
rules.add_perm("learning.post_thread", administers_program | in_cohort)
rules.add_perm("learning.reply_thread", administers_program | in_cohort)
rules.add_perm("learning.moderate_post", administers_program)
