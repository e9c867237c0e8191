"""Who may read a program's reports, take its history out and bring history in.

Objects are programs (an export job for ``view_export``). What the files hold is scoped by
the exporter's own ``visible_to``: a coordinator's history export holds only the people of
their organisations."""

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import (
    is_any_coordinator,
    is_any_program_admin,
    is_auditor,
    is_superuser,
)
from talent_exchange.programs.rules import administers_program, sits_on_program_board


@rules.predicate
def coordinates_in_program(user, program) -> bool:
    """A coordinator of an organisation that takes part in the program."""
    roles = roles_of(user)
    if program is None:
        return roles.is_coordinator
    if not roles.coordinator_org_ids:
        return False
    return program.participating_organizations.filter(pk__in=roles.coordinator_org_ids).exists()


@rules.predicate
def requested_it(user, export) -> bool:
    if export is None:
        return bool(getattr(user, "is_authenticated", False))
    return export.requested_by_id == user.pk


@rules.predicate
def reads_board_reports(user) -> bool:
    return bool(roles_of(user).board_program_ids)


readers = is_superuser | is_auditor | administers_program | sits_on_program_board

rules.add_perm(
    "reports.list_reports",
    is_superuser | is_auditor | is_any_program_admin | reads_board_reports | is_any_coordinator,
)
rules.add_perm("reports.view_dashboard", readers)
rules.add_perm("reports.download_report", readers)
rules.add_perm("reports.export_history", readers | coordinates_in_program)
rules.add_perm("reports.import_history", is_superuser | administers_program)
# A history file may create or change organisations and people of any program: only a
# platform operator imports one on the site (and then only into the program it names).
rules.add_perm("reports.import_history_file", is_superuser)

# The back office (Django admin) asks the standard names.
# An export holds what its requester could see: only they and a platform operator open it.
rules.add_perm("reports.view_export", is_superuser | requested_it)
rules.add_perm("reports.view_historyimport", is_auditor | is_superuser)
for model in ("export", "historyimport"):
    rules.add_perm(f"reports.add_{model}", is_superuser)
    rules.add_perm(f"reports.change_{model}", is_superuser)
    rules.add_perm(f"reports.delete_{model}", is_superuser)
