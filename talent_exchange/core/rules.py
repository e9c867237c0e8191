import rules

# Every signed-in user has a dashboard; what it shows depends on their roles.
rules.add_perm("core.view_dashboard", rules.is_authenticated)
