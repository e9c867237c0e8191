"""Who may do what to a program and its cycles."""

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.permissions import in_scope
from talent_exchange.core.predicates import (
    coordinates_org_of,
    has_any_role,
    is_any_program_admin,
    is_auditor,
    is_superuser,
)


def _program_id(obj) -> int | None:
    from talent_exchange.programs.models import Program

    if obj is None:
        return None
    return obj.pk if isinstance(obj, Program) else obj.program_id


@rules.predicate
def administers_program(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return roles.is_program_admin
    return _program_id(obj) in roles.admin_program_ids


@rules.predicate
def sits_on_program_board(user, obj) -> bool:
    """A board reviewer of this program (e.g. an Executive Resources Board reviewing outcomes)."""
    roles = roles_of(user)
    if obj is None:
        return bool(roles.board_program_ids)
    return _program_id(obj) in roles.board_program_ids


@rules.predicate
def can_see_program(user, obj) -> bool:
    from talent_exchange.programs.models import Program

    if obj is None:
        return roles_of(user).any_role
    if isinstance(obj, Program) and in_scope(obj, user):
        return True
    program_id = _program_id(obj)
    return Program.objects.visible_to(user).filter(pk=program_id).exists()


rules.add_perm("programs.list_programs", has_any_role)
rules.add_perm("programs.view_program", is_auditor | can_see_program)
# A platform operator, or a program administrator starting another program (from a template,
# administered by an organisation their programs already reach: services.create_program).
rules.add_perm("programs.add_program", is_superuser | is_any_program_admin)
rules.add_perm("programs.change_program", administers_program)
rules.add_perm("programs.delete_program", is_superuser)

rules.add_perm("programs.view_cycle", is_auditor | can_see_program)
rules.add_perm("programs.add_cycle", administers_program)
rules.add_perm("programs.change_cycle", administers_program)
rules.add_perm("programs.delete_cycle", is_superuser)
rules.add_perm("programs.move_cycle", administers_program)

rules.add_perm("programs.view_cyclephase", is_auditor | can_see_program)
rules.add_perm("programs.add_cyclephase", administers_program)
rules.add_perm("programs.change_cyclephase", administers_program)
rules.add_perm("programs.delete_cyclephase", administers_program)
rules.add_perm("programs.view_cycletransition", is_auditor | administers_program)

# An organisation joins a program by consent: the program's administrator invites, one of
# the organisation's own coordinators accepts or declines (never the administrator on its
# behalf), and only a platform operator (superuser) may enrol it directly, with a reason.
rules.add_perm("programs.invite_organization", administers_program)
rules.add_perm("programs.enrol_organization", is_superuser)
# Taking an organisation out narrows the administrators' reach; refused while work is under way.
rules.add_perm("programs.remove_organization", administers_program)
rules.add_perm(
    "programs.view_programinvitation",
    is_auditor | administers_program | coordinates_org_of,
)
rules.add_perm("programs.accept_programinvitation", coordinates_org_of)
rules.add_perm("programs.decline_programinvitation", coordinates_org_of)
rules.add_perm("programs.withdraw_programinvitation", administers_program)
rules.add_perm("programs.add_programinvitation", is_superuser)
rules.add_perm("programs.change_programinvitation", is_superuser)
rules.add_perm("programs.delete_programinvitation", is_superuser)
rules.add_perm("programs.view_invitationtransition", is_auditor | administers_program)
