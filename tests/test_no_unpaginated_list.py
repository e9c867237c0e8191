"""No page renders every row (issue 17): each page the scale benchmark measures is opened on
a small scale dataset whose lists are longer than any page, and none shows more rows,
options or API items than a page holds. A page that listed everything would show them all."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client

from talent_exchange.accounts.models import User
from talent_exchange.nominations.models import Nomination
from talent_exchange.nonprod.scale import ScaleSize, scale_pages, seed_scale
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person

# Longer lists than any page: 1,000 people, 200 nominations, about 130 opportunities, and
# more organisations than a page (an organisation filter that listed them all would fail).
SIZE = ScaleSize(people=1000, organizations=120, participants=200, rankings_per_participant=8)
# The most rows of one kind a page may show: a page of pairs or API items is 100.
MOST = 110

ROW = re.compile(rb"<tr[\s>]")
OPTION = re.compile(rb"<option[\s>]")
ITEM = re.compile(rb"<li[\s>]")
TABLE = re.compile(rb"<table[\s>].*?</table>", re.S)


def _shown(response) -> dict[str, int]:
    body = b"".join(response) if response.streaming else response.content
    if response["Content-Type"].startswith("application/json"):
        data = response.json() if not response.streaming else {}
        return {"items": len(data.get("items", [])) if isinstance(data, dict) else len(data)}
    return {
        "table rows": len(ROW.findall(body)),
        "options": len(OPTION.findall(body)),
        # list items outside tables (a table's row may list its own details)
        "list items": len(ITEM.findall(TABLE.sub(b"", body))),
    }


@pytest.mark.django_db
def test_no_page_shows_more_than_a_page_of_rows():
    seed_scale(SIZE, stdout=io.StringIO())
    # The dataset's lists are longer than a page, so a page that lists all of one would fail.
    assert Person.objects.count() > 3 * MOST
    assert Nomination.objects.count() > MOST
    assert Opportunity.objects.count() > MOST
    assert Organization.objects.count() > MOST
    clients: dict[str, Client] = {}
    too_long = []
    for name, username, url in scale_pages():
        if name.endswith("whole download"):
            continue  # the full market is a streamed file, not a page
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        for what, count in _shown(response).items():
            if count > MOST:
                too_long.append(f"{name} ({url}) shows {count} {what}")
    assert not too_long, "\n".join(too_long)
