"""Property: who may read a program's results, for any combination of roles. Exactly the
superuser, auditors, and the program's own administrators and board reviewers; and whoever
may read them can see the program at all (the page never shows an invisible program)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from talent_exchange.accounts.roles import forget_roles
from talent_exchange.programs.models import Program
from tests.factories import (
    ROLE_NAMES,
    CycleFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
    grant_by_index,
)


class ResultsReaders(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        role_specs=st.lists(
            st.tuples(st.sampled_from(ROLE_NAMES), st.integers(min_value=0, max_value=1)),
            max_size=4,
        ),
        superuser=st.booleans(),
    )
    def test_exactly_the_programs_own_readers(self, role_specs, superuser):
        orgs = [OrganizationFactory() for _ in range(2)]
        programs = [
            ProgramFactory(administering_organization=org, organizations=[org]) for org in orgs
        ]
        cycles = [CycleFactory(program=p) for p in programs]
        user = UserFactory(is_superuser=superuser)
        for role, i in role_specs:
            grant_by_index(user, role, i, programs=programs, organizations=orgs, cycles=cycles)
        forget_roles(user)

        visible = set(Program.objects.visible_to(user))
        for i, program in enumerate(programs):
            expected = (
                superuser
                or ("auditor", 0) in role_specs
                or ("auditor", 1) in role_specs
                or ("program_admin", i) in role_specs
                or ("board_reviewer", i) in role_specs
            )
            allowed = user.has_perm("placements.view_program_results", program)
            assert allowed == expected
            if allowed:
                assert program in visible
