from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from talent_exchange.accounts.tests.factories import UserFactory
from talent_exchange.programs.tests.factories import ProgramFactory

from ..models import Circle, Invitation, Kind, Post, Session, Thread


class SessionFactory(DjangoModelFactory):
    """A support session a week from now, one hour long, at a place, without a limit."""

    class Meta:
        model = Session

    program = factory.SubFactory(ProgramFactory)
    cycle = None
    kind = Kind.SUPPORT
    title = factory.Sequence(lambda n: f"Support session {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    place = "City Hall, room 2"
    capacity = None
    organiser = factory.SubFactory(UserFactory)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory("talent_exchange.people.tests.factories.PersonFactory")


class CircleFactory(DjangoModelFactory):
    class Meta:
        model = Circle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Circle {n}")


class ThreadFactory(DjangoModelFactory):
    class Meta:
        model = Thread

    program = factory.SubFactory(ProgramFactory)
    cycle = None
    title = factory.Sequence(lambda n: f"Thread {n}")
    author = factory.SubFactory(UserFactory)
    last_post_at = factory.LazyFunction(timezone.now)


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.LazyAttribute(lambda o: o.thread.author)
    body = "How did your first month go?"


def cohort(world, people, *, host=None):
    """Placements of ``people`` in the world's cycle (hosted by City B unless said, coached
    by Bea), so they form the cycle's cohort; returns the placements."""
    from talent_exchange.placements.tests.factories import placement_in

    return [placement_in(world, person=p, host=host or world.city_b) for p in people]
