"""An ORM query compiled once per process and run with each request's values.

Compiling a queryset into SQL costs Django 0.5–1.5 ms of CPU, often more than the database
takes to answer it. A query that a hot page asks on every request with only a few values
changing (the user's id, today) can be written once with **stand-ins** for those values;
each run then replaces the parameters equal to a stand-in by the request's value::

    _OWN_PLANS = CompiledQuery(
        lambda person_id: DevelopmentPlan.objects.filter(person_id=person_id)
        .order_by("-year")
        .values("pk", "year", "status")[:3],
        person_id=int,
    )
    rows = _OWN_PLANS.rows(person_id=roles.person_id)  # a list of dicts, as values() gives

The rules, checked where they can be:

- the queryset is a ``values()`` query (rows as dicts, with Django's converters applied);
- each value is used **as it is** (``year=year``), never computed on in Python
  (``today + ONE_DAY``): the stand-in would be computed on and no longer found. Every
  stand-in must appear among the statement's parameters, or the query is refused;
- a value is never None (``filter(x=None)`` is ``IS NULL`` in the ORM, not ``= NULL``): run
  refuses it, and any value of another kind (a bool for an int, a datetime for a date);
- a set of ids (kind ``frozenset``, for an ``__in``) has at least one id; the statement is
  compiled once for each number of ids met (a user coordinates a few organisations);
- the slices (``[:10]``) are part of the statement: a limit changed later is not seen;
- nothing else in the query may depend on the request (the language, the user's
  permissions): it is fixed at the first run.

``core/tests/test_compiled.py`` compares the rows with the plain ORM's for random values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesIterable

M = TypeVar("M", bound=Model)

# No real id, date or time is one of these.
_ID_SET_STAND_IN = -3_000_000_001
_INT_STAND_INS = [-2_000_000_011 - 2 * i for i in range(20)]
_DATE_STAND_INS = [date(1111, 1, 11 + i) for i in range(10)]
_TIME_STAND_INS = [datetime(1111, 1, 11, 11, 11, 11 + i, tzinfo=UTC) for i in range(10)]


def stand_ins(kinds: dict[str, type]) -> dict[str, Any]:
    """A distinct stand-in for each named value of kind int, date or datetime."""
    pools = {
        int: iter(_INT_STAND_INS),
        date: iter(_DATE_STAND_INS),
        datetime: iter(_TIME_STAND_INS),
    }
    try:
        return {name: next(pools[kind]) for name, kind in kinds.items()}
    except KeyError as unknown:
        raise ImproperlyConfigured(f"no stand-in for values of kind {unknown}") from None


def adapted(value: Any, alias: str = "default") -> Any:
    """A value as the database driver receives it: the ORM adapts dates and times while
    compiling (on SQLite they become text)."""
    ops = connections[alias].ops
    if isinstance(value, datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return ops.adapt_datefield_value(value)
    return value


Slots = list[tuple[str | None, Any]]


def parameter_slots(params: Iterable[Any], by_value: dict[Any, str]) -> Slots:
    """For each parameter of a statement written with stand-ins: (name of the value it
    stands for, None), or (None, the constant it is)."""
    slots: Slots = []
    for param in params:
        name = by_value.get(param) if isinstance(param, int | str | date) else None
        slots.append((name, None) if name else (None, param))
    return slots


def bound(slots: Slots, values: dict[str, Any]) -> list[Any]:
    """The statement's parameters with each stand-in replaced by its (adapted) value."""
    return [values[name] if name else constant for name, constant in slots]


class CompiledQuery:
    """A ``values()`` queryset of some named values, compiled once per process and database
    (see the module's docstring)."""

    def __init__(self, build: Callable[..., QuerySet], /, **kinds: type) -> None:
        self._build = build
        self._kinds = kinds
        self._compiled: dict[tuple, tuple] = {}

    def _compile(self, alias: str, sizes: dict[str, int]) -> tuple:
        named = stand_ins({name: kind for name, kind in self._kinds.items() if name not in sizes})
        by_value = {adapted(value, alias): name for name, value in named.items()}
        arguments = dict(named)
        for k, (name, size) in enumerate(sizes.items()):
            ids = [_ID_SET_STAND_IN - 100_000 * k - i for i in range(size)]
            arguments[name] = frozenset(ids)
            by_value.update({value: f"{name}[{i}]" for i, value in enumerate(ids)})
        queryset = self._build(**arguments)
        if not issubclass(queryset._iterable_class, ValuesIterable):
            raise ImproperlyConfigured("a compiled query must be a values() queryset")
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = parameter_slots(params, by_value)
        unused = set(by_value.values()) - {name for name, _constant in slots if name}
        if unused:
            raise ImproperlyConfigured(
                f"values {sorted(unused)} are not parameters of the statement as they are "
                "(computed on, or not used)"
            )
        # as ValuesIterable names them
        if query.selected:
            names = list(query.selected)
        else:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        if len(names) != len(columns):  # pragma: no cover - a shape Django may add one day
            raise ImproperlyConfigured("a compiled query's columns could not be named")
        converters = list(compiler.get_converters(columns).items())
        return sql, slots, names, converters

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        """The rows for these values, as the queryset's ``values()`` would give them."""
        if values.keys() != self._kinds.keys():
            raise TypeError(f"expected the values {sorted(self._kinds)}, got {sorted(values)}")
        for name, value in values.items():
            # exactly: a bool is an int and a datetime a date, neither stands for the other
            if type(value) is not self._kinds[name]:
                raise TypeError(f"{name} must be a {self._kinds[name].__name__}, not {value!r}")
            if type(value) is frozenset and (
                not value or any(type(one) is not int for one in value)
            ):
                raise TypeError(f"{name} must be ids (at least one), not {value!r}")
        alias = "default"  # the one database of the project
        connection = connections[alias]
        sizes = {name: len(value) for name, value in values.items() if type(value) is frozenset}
        key = (connection.vendor, *sizes.values())
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias, sizes)
        sql, slots, names, converters = compiled
        given: dict[str, Any] = {}
        for name, value in values.items():
            if name in sizes:
                given.update({f"{name}[{i}]": one for i, one in enumerate(sorted(value))})
            else:
                given[name] = adapted(value, alias)
        params = bound(slots, given)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        rows = []
        for fetched_row in fetched:
            row = list(fetched_row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            rows.append(dict(zip(names, row, strict=True)))
        return rows


def instance(model: type[M], row: dict[str, Any], prefix: str = "", **related: Any) -> M:
    """An unsaved ``model`` object from a values() row's ``<prefix><name>`` keys, for what a
    page shows of it (``__str__``, ``get_status_display``): its fields as arguments, any
    other name (an annotation) as an attribute, and the related objects given (with the
    row's id of each, when it has it)."""
    known = {f.attname for f in model._meta.concrete_fields} | {
        f.name for f in model._meta.concrete_fields
    }
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in row.items():
        name = key.removeprefix(prefix)
        if not key.startswith(prefix) or "__" in name:
            continue
        if name == "pk":
            name = model._meta.pk.attname
        (fields if name in known else extra)[name] = value
    for name, obj in related.items():
        # the row's id of a related object given goes to that object (set after it, the id
        # would make Django forget the object and read it again)
        attname = f"{name}_id"  # a foreign key's column, as Django names it
        if attname in fields and obj is not None:
            obj.pk = fields.pop(attname)
    made = model(**fields, **related)
    for name, value in extra.items():
        setattr(made, name, value)
    return made
