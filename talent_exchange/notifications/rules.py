"""The outbox is back-office material: the superuser and auditors read it in the admin."""

import rules

from talent_exchange.core.predicates import is_auditor, is_superuser

rules.add_perm("notifications.view_notification", is_auditor | is_superuser)
rules.add_perm("notifications.add_notification", rules.always_deny)
rules.add_perm("notifications.change_notification", rules.always_deny)
rules.add_perm("notifications.delete_notification", is_superuser)
