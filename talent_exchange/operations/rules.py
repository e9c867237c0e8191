"""Metrics describe the whole platform's load: auditors and the superuser may read them (the
scraper uses the METRICS_TOKEN instead)."""

import rules

from talent_exchange.core.predicates import is_auditor, is_superuser

rules.add_perm("operations.view_metrics", is_auditor | is_superuser)
