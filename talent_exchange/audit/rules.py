"""The audit trail is for administrators and auditors."""

import rules

from talent_exchange.core.predicates import is_any_program_admin, is_auditor

rules.add_perm("audit.view_audit_log", is_auditor | is_any_program_admin)
