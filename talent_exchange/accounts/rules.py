"""Who may see and grant roles. Granting is the platform superuser's job (in the admin)."""

import rules

from talent_exchange.core.predicates import is_auditor, is_superuser

rules.add_perm("accounts.view_user", is_auditor)
rules.add_perm("accounts.view_rolegrant", is_auditor)
rules.add_perm("accounts.add_rolegrant", is_superuser)
rules.add_perm("accounts.change_rolegrant", is_superuser)
rules.add_perm("accounts.delete_rolegrant", is_superuser)
rules.add_perm("accounts.sign_out", rules.is_authenticated)
# allauth's pages for one's own sign-in settings (two factors, linked providers)
rules.add_perm("accounts.manage_own_account", rules.is_authenticated)
# a platform operator removes a person's second factors (a lost phone), with a reason
rules.add_perm("accounts.reset_factors", is_superuser)
rules.add_perm("accounts.view_factorreset", is_superuser | is_auditor)
