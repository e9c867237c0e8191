"""Who may use the JSON API.

The API's front door is ``api.use_api``: signed in and holding any role, as for the
dashboard. Past it, each endpoint asks the owning app's own permission for the object
(``opportunities.view_opportunity``, ``nominations.view_nomination``,
``preferences.view_participant_ranking``, ``matches.view_matchrun``, …) after scoping rows
with the model's ``visible_to``, so the API answers exactly as the pages do.
"""

import rules

from talent_exchange.core.predicates import has_any_role

rules.add_perm("api.use_api", has_any_role)
