"""Who may do what with panels, interviews and scores.

- The program administrator forms panels, assigns candidates, schedules slots and reads every
  score of their program's cycles (the roll-up).
- A panelist opens only the panels they sit on and scores only those panels' candidates;
  another panel's candidate is "not found" (PanelAssignment.visible_to).
- Coordinators read no interview scores at all — not even of their own nominees — so that a
  host cannot learn how other organisations' candidates did, and a home organisation cannot
  press panelists. They see the outcome through the match.
- The auditor reads everything and changes nothing.
- Calendar invitations: the administrator, the panel's members and the candidate.
"""

from __future__ import annotations

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import is_any_program_admin, is_auditor
from talent_exchange.programs.rules import administers_program


def _panel_of(obj):
    return getattr(obj, "panel", obj)


@rules.predicate
def sits_on_panel(user, obj) -> bool:
    """The user is a member of the panel (of the assignment) and a panelist of its cycle."""
    roles = roles_of(user)
    if obj is None:
        return bool(roles.panelist_cycle_ids)
    panel = _panel_of(obj)
    if panel.cycle_id not in roles.panelist_cycle_ids:
        return False
    return panel.members.filter(pk=user.pk).exists()


@rules.predicate
def is_panelist_of_cycle(user, cycle) -> bool:
    roles = roles_of(user)
    if cycle is None:
        return bool(roles.panelist_cycle_ids)
    return cycle.pk in roles.panelist_cycle_ids


@rules.predicate
def is_the_candidate(user, assignment) -> bool:
    roles = roles_of(user)
    if assignment is None:
        return roles.person_id is not None
    return roles.person_id is not None and assignment.nomination.person_id == roles.person_id


rules.add_perm(
    "interviews.view_cycle_interviews", is_auditor | administers_program | is_panelist_of_cycle
)
rules.add_perm("interviews.manage_panels", administers_program)
rules.add_perm("interviews.open_panel", is_auditor | administers_program | sits_on_panel)
rules.add_perm("interviews.score_candidate", sits_on_panel)
rules.add_perm("interviews.read_scores", is_auditor | administers_program)
rules.add_perm(
    "interviews.download_invitation",
    is_auditor | administers_program | sits_on_panel | is_the_candidate,
)

# Back office. The rubric is edited in the Django admin by the program's administrators;
# panels, candidates and scores are read there, and changed through the pages (services),
# which enforce the panel membership and the schedule rules.
rules.add_perm("interviews.view_rubriccriterion", is_auditor | is_any_program_admin)
for action in ("add", "change", "delete"):
    rules.add_perm(f"interviews.{action}_rubriccriterion", administers_program)
for model in ("panel", "panelassignment", "score"):
    rules.add_perm(f"interviews.view_{model}", is_auditor | is_any_program_admin)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"interviews.{action}_{model}", rules.always_deny)
