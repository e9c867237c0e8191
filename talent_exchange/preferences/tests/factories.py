"""Rankings for tests: participants rank opportunities, hosts rank nominations."""

from __future__ import annotations

from talent_exchange.preferences.models import HostRanking, ParticipantRanking


def rank(nomination, *opportunities) -> None:
    """The participant ranks these opportunities, first choice first."""
    for position, opportunity in enumerate(opportunities, start=1):
        ParticipantRanking.objects.create(
            nomination=nomination, opportunity=opportunity, rank=position
        )


def host_rank(opportunity, *nominations) -> None:
    """The host ranks these nominations, first choice first."""
    for position, nomination in enumerate(nominations, start=1):
        HostRanking.objects.create(opportunity=opportunity, nomination=nomination, rank=position)
