"""Property: the QuerySet scoping (``visible_to``) and the permission rules agree, for any
combination of roles. A page lists exactly the people it would let you open."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from talent_exchange.accounts.roles import forget_roles
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Cycle
from tests.factories import (
    ROLE_NAMES,
    CycleFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    grant_by_index,
)

ROLE_SPECS = st.lists(
    st.tuples(st.sampled_from(ROLE_NAMES), st.integers(min_value=0, max_value=3)), max_size=4
)


class ScopingAgreesWithRules(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        memberships=st.lists(st.sets(st.integers(0, 3), max_size=4), min_size=2, max_size=2),
        people_orgs=st.lists(st.integers(0, 3), min_size=1, max_size=8),
        supervisors=st.lists(st.integers(0, 7), max_size=8),
        role_specs=ROLE_SPECS,
        user_has_profile=st.booleans(),
        profile_org=st.integers(0, 3),
    )
    def test_visible_equals_viewable(
        self, memberships, people_orgs, supervisors, role_specs, user_has_profile, profile_org
    ):
        orgs = [OrganizationFactory() for _ in range(4)]
        programs = [
            ProgramFactory(
                administering_organization=orgs[i], organizations=[orgs[j] for j in members]
            )
            for i, members in enumerate(memberships)
        ]
        cycles = [CycleFactory(program=p) for p in programs]
        user = UserFactory()
        me = PersonFactory(organization=orgs[profile_org], user=user) if user_has_profile else None
        people = [PersonFactory(organization=orgs[i]) for i in people_orgs]
        for person, boss in zip(people, supervisors, strict=False):
            if me is not None and boss % 2 == 0:
                person.supervisor = me
                person.save()
        for role, index in role_specs:
            grant_by_index(user, role, index, programs=programs, organizations=orgs, cycles=cycles)
        forget_roles(user)

        everyone = list(Person.objects.all())
        visible = set(Person.objects.visible_to(user))
        viewable = {p for p in everyone if user.has_perm("people.view_person", p)}
        assert visible == viewable
        editable = {p for p in everyone if user.has_perm("people.change_person", p)}
        assert editable <= viewable
        if {r for r, _i in role_specs} <= {"auditor"}:
            # An auditor writes nothing; anyone may still edit their own profile.
            assert editable <= ({me} if me else set())
        assert Cycle.objects.visible_to(user).count() <= len(cycles)
