"""Ranked lists as plain Python: the moves a person makes on a list of choices.

A ranking is a list of ids, first choice first; its ranks are its positions 1..n, so they are
contiguous by construction and an id cannot appear twice. The services store the result
(preferences/services.py); these functions only decide what the new list is, or refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused

ACTIONS = ("add", "up", "down", "remove", "top")


def apply_move(ranked: Sequence[int], action: str, item: int) -> list[int]:
    """The list after ``action`` on ``item``; raises ActionRefused for an impossible move."""
    current = list(ranked)
    if action == "add":
        if item in current:
            raise ActionRefused(_("That choice is already on your list."))
        return [*current, item]
    if item not in current:
        raise ActionRefused(_("That choice is not on the list any more."))
    index = current.index(item)
    if action == "remove":
        return current[:index] + current[index + 1 :]
    if action == "up":
        if index == 0:
            raise ActionRefused(_("That choice is already first."))
        current[index - 1], current[index] = current[index], current[index - 1]
        return current
    if action == "down":
        if index == len(current) - 1:
            raise ActionRefused(_("That choice is already last."))
        current[index + 1], current[index] = current[index], current[index + 1]
        return current
    if action == "top":
        return [item, *current[:index], *current[index + 1 :]]
    raise ActionRefused(_("Unknown change to the list."))
