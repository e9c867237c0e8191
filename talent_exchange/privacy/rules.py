"""The list of who viewed a record is for the person and for auditors; a person's own data
export is for the person."""

import rules

from talent_exchange.core.predicates import is_auditor, is_superuser
from talent_exchange.people.rules import is_self

rules.add_perm("privacy.view_recordview", is_self | is_auditor | is_superuser)
rules.add_perm("privacy.export_own_data", rules.is_authenticated)
rules.add_perm("privacy.add_recordview", rules.always_deny)
rules.add_perm("privacy.change_recordview", rules.always_deny)
rules.add_perm("privacy.delete_recordview", rules.always_deny)
rules.add_perm("privacy.view_retentionpurge", is_auditor | is_superuser)
rules.add_perm("privacy.add_retentionpurge", rules.always_deny)
rules.add_perm("privacy.change_retentionpurge", rules.always_deny)
rules.add_perm("privacy.delete_retentionpurge", rules.always_deny)
