"""The one workflow mechanism (ADR 0009).

A workflow is declared once, beside its model: its states, and its actions — each with the
states it starts from, the state it leads to, the permission it needs and the message a
person reads when the permission is denied. Pages, templates and the API ask
``available_actions(obj, user)`` what a user may do now; services call ``perform`` to do it::

    CYCLE_WORKFLOW = Workflow(
        field="state",
        states=Phase,
        record=CycleTransition,
        actions=[
            Action("open_nominations", {Phase.DRAFT}, Phase.NOMINATIONS,
                   permission="programs.move_cycle", label=_("Open nominations"),
                   refusal=_("Only an administrator of this program can change its phase.")),
        ],
    )
    CYCLE_WORKFLOW.perform(cycle, "open_nominations", actor=user, note="")

``perform`` checks the permission (``PermissionDenied`` with the action's refusal), locks the
row (``select_for_update``), refuses a move the state does not allow (``ActionRefused`` with a
readable message), runs the service's ``check`` on the locked row, saves it with the acting
user for simple-history and writes one immutable transition record. The service adds only
its side effects around it, in its own ``transaction.atomic()`` when they must commit with
the move.

An action with ``target=None`` moves nothing: it is something a user may do to the object in
some states (declare a conflict, write an objective). ``require`` checks it; it leaves no
transition record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from .exceptions import ActionRefused
from .history import attribute_to
from .models import TransitionRecord
from .permissions import require as require_permission

M = TypeVar("M", bound=models.Model)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Action:
    """One thing a user can do to an object of a workflow."""

    name: str
    sources: frozenset[str]
    target: str | None
    permission: str | None
    refusal: Any = ""  # shown when the permission is denied (a lazy string)
    label: Any = ""  # the button's text (a lazy string)
    state_refusal: Any = ""  # optional: shown when the state does not allow it
    note_required: Any = ""  # when set, the refusal shown for an empty note

    def __init__(
        self,
        name: str,
        sources: Iterable[str],
        target: str | None,
        *,
        permission: str | None,
        refusal: Any = "",
        label: Any = "",
        state_refusal: Any = "",
        note_required: Any = "",
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", None if target is None else str(target))
        object.__setattr__(self, "permission", permission)
        object.__setattr__(self, "refusal", refusal)
        object.__setattr__(self, "label", label or name)
        object.__setattr__(self, "state_refusal", state_refusal)
        object.__setattr__(self, "note_required", note_required)

    @property
    def moves(self) -> bool:
        return self.target is not None


@dataclass
class Workflow:
    """States, actions and the record of each move of one model's workflow."""

    states: type[models.TextChoices]
    actions: list[Action]
    record: type[TransitionRecord] | None = None
    field: str = "status"
    # How a refusal names the object, e.g. _("An opportunity"); used in the default message.
    noun: Any = ""
    # ``explain(state, action)``: the refusal of a move the state does not allow, when the
    # default message does not read well for this workflow.
    # It may answer None: the default message then.
    explain: Callable[[str, Action], StrOrPromise | None] | None = None
    # When set, a copy whose state is no longer the row's is refused with this message
    # (``%(state)s`` is the row's state): someone else moved it a moment ago.
    stale_refusal: Any = ""
    by_name: dict[str, Action] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name = {}
        known = set(self.states.values)
        for action in self.actions:
            if action.name in self.by_name:
                raise ValueError(f"Two actions are named {action.name!r}.")
            named = action.sources | ({action.target} if action.target else set())
            if named - known:
                raise ValueError(f"Action {action.name!r} names unknown states: {named - known}.")
            self.by_name[action.name] = action

    # --- questions ---------------------------------------------------------------------------

    def action(self, name: str) -> Action:
        try:
            return self.by_name[name]
        except KeyError:
            message = _("“%(name)s” is not something one can do here.") % {"name": name}
            raise ActionRefused(message) from None

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def allows(self, obj, name: str) -> bool:
        """The object's state allows this action (whoever asks)."""
        action = self.by_name.get(name)
        return action is not None and self.state_of(obj) in action.sources

    def action_to(self, state: str, target: str) -> Action | None:
        """The action that moves an object in ``state`` to ``target``, if there is one."""
        for action in self.actions:
            if action.target == target and state in action.sources:
                return action
        return None

    def targets(self, state: str) -> list[str]:
        """The states an object in ``state`` can move to, in declaration order."""
        seen: list[str] = []
        for action in self.actions:
            target = action.target
            if target is not None and state in action.sources and target not in seen:
                seen.append(target)
        return seen

    def available_actions(self, obj: models.Model, user: Any) -> list[Action]:
        """What ``user`` may do to ``obj`` now: its state allows it and the user has the
        permission. An action without a permission is a consequence of something else (the
        last endorsement of a chain, a deadline): the system does it, nobody is offered it."""
        state = self.state_of(obj)
        return [
            action
            for action in self.actions
            if state in action.sources
            and action.permission is not None
            and user.has_perm(action.permission, obj)
        ]

    def available_names(self, obj: models.Model, user: Any) -> frozenset[str]:
        """``available_actions`` as names, for templates: ``{% if "endorse" in actions %}``."""
        return frozenset(action.name for action in self.available_actions(obj, user))

    def refusal(self, obj, action: Action) -> str | None:
        """Why the object's state does not allow ``action``; None when it does."""
        state = self.state_of(obj)
        if state in action.sources:
            return None
        if action.state_refusal:
            return str(action.state_refusal) % {"state": self.states(state).label}
        if self.explain is not None and action.moves:
            explained = self.explain(state, action)
            if explained is not None:
                return str(explained)
        current = self.states(state).label
        options = [str(self.states(t).label) for t in self.targets(state)]
        if action.target is None or not options:
            return _("%(noun)s that is “%(state)s” cannot do this now.") % {
                "noun": self.noun,
                "state": current,
            }
        return _(
            "%(noun)s that is “%(current)s” cannot become “%(wanted)s”. It can become: %(options)s."
        ) % {
            "noun": self.noun,
            "current": current,
            "wanted": self.states(action.target).label,
            "options": ", ".join(options),
        }

    # --- doing -------------------------------------------------------------------------------

    def check_permission(self, obj: models.Model, name: str, *, actor: Any) -> Action:
        """Only the permission of action ``name`` (PermissionDenied with its refusal), not
        the state: for a service that checks more before it acts."""
        action = self.action(name)
        if action.permission is not None:
            require_permission(actor, action.permission, obj, action.refusal)
        return action

    def require(self, obj: models.Model, name: str, *, actor: Any) -> Action:
        """Check that ``actor`` may do ``name`` to ``obj`` in its current state (the caller
        holds the lock when it matters). Raises PermissionDenied or ActionRefused."""
        action = self.check_permission(obj, name, actor=actor)
        refusal = self.refusal(obj, action)
        if refusal:
            raise ActionRefused(refusal)
        return action

    def perform(
        self,
        obj: M,
        name: str,
        *,
        actor,
        note: str = "",
        check: Callable[[Any], None] | None = None,
        **changes: Any,
    ) -> M:
        """Do action ``name`` to ``obj`` as ``actor``; returns the saved (locked) row.

        ``check(locked)`` may refuse (raise ActionRefused) after the lock is taken and the
        move is known to be allowed; ``changes`` are field values saved with the move."""
        action = self.action(name)
        if action.permission is not None:
            require_permission(actor, action.permission, obj, action.refusal)
        model = type(obj)
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=obj.pk)
            if self.stale_refusal and self.state_of(locked) != self.state_of(obj):
                state = self.states(self.state_of(locked)).label
                raise ActionRefused(str(self.stale_refusal) % {"state": state})
            refusal = self.refusal(locked, action)
            if refusal:
                raise ActionRefused(refusal)
            if action.note_required and not note.strip():
                raise ActionRefused(str(action.note_required))
            if check is not None:
                check(locked)
            previous = self.state_of(locked)
            for name_, value in changes.items():
                setattr(locked, name_, value)
            target = action.target
            if target is not None:
                setattr(locked, self.field, target)
            attribute_to(locked, actor)
            locked.save()
            if target is not None and self.record is not None:
                self.record.record(locked, previous, target, actor=actor, note=note.strip())
        # The caller's copy follows, so a page rendered from it shows the new state.
        setattr(obj, self.field, self.state_of(locked))
        for name_ in changes:
            setattr(obj, name_, getattr(locked, name_))
        return locked
