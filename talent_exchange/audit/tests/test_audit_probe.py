"""The audit trail, its export and the admin's history pages, swept over the probe world (an
object of every kind in two programs): for every kind of record and every reader, what is
shown is exactly the history of the objects ``visible_to`` gives that reader, with a fixed
number of queries per page; out of scope, the admin's history page is "not found"."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from talent_exchange.audit.trail import TRACKED
from tests.probe import fixtures

probe_world, probe = fixtures.probe_world, fixtures.probe  # the fixtures, for this module
READERS = ("admin", "other_admin", "auditor")
KINDS = sorted(TRACKED)


def _visible_ids(model, user) -> set[int]:
    return set(model._default_manager.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("kind", KINDS)
def test_each_reader_reads_the_history_of_what_they_see(probe, kind, django_assert_max_num_queries):
    model, _label = TRACKED[kind]
    everything = set(model.history.values_list("id", flat=True))
    for name in READERS:
        user = probe.users[name]
        client = Client()
        client.force_login(user)
        with django_assert_max_num_queries(16):
            page = client.get(reverse("audit:log"), {"kind": kind})
        assert page.status_code == 200
        shown = {entry.object_id for entry in page.context["rows"]}
        export = client.get(reverse("audit:export"), {"kind": kind})
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        exported = {int(row[4]) for row in rows[1:]}
        expected = everything if name == "auditor" else everything & _visible_ids(model, user)
        assert exported == expected, name
        assert shown <= expected, name
        if name != "auditor":
            assert "token" not in {row[6] for row in rows[1:]}


def test_the_two_programs_admins_read_disjoint_personnel_history(probe):
    """The probe world's programs share no organisation: neither administrator reads a row of
    the other's people, nominations, scores, placements or signatures."""
    for kind in ("person", "nomination", "score", "placement", "signature", "evaluation"):
        model, _label = TRACKED[kind]
        mine = _visible_ids(model, probe.users["admin"])
        theirs = _visible_ids(model, probe.users["other_admin"])
        assert mine and theirs and not mine & theirs, kind


@pytest.mark.parametrize("kind", [k for k in KINDS if TRACKED[k][0] in admin.site._registry])
def test_admin_history_out_of_scope_is_not_found(probe, kind):
    model, _label = TRACKED[kind]
    opts = model._meta
    url_name = f"admin:{opts.app_label}_{opts.model_name}_history"
    for name in ("admin", "other_admin"):
        user = probe.users[name]
        user.is_staff = True
        user.save()
        client = Client()
        client.force_login(user)
        visible = _visible_ids(model, user)
        every = model._default_manager.values_list("pk", flat=True)
        hidden = [pk for pk in every if pk not in visible][:3]
        for pk in hidden:
            assert client.get(reverse(url_name, args=[pk])).status_code == 404, (name, pk)
