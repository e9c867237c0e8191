"""The matching engine: participants to assignment slots, stable or optimal, explained.

A plain library (numpy, OR-Tools; no web framework): a JSON-shaped market in, a JSON-shaped
result out.  ``solve(market, mode="stable" | "optimal")`` is the whole interface; the
command line is ``python -m talent_exchange.matching``.  See ``docs/matching.md``.
"""

from .arrays import ArrayMarket, compile_arrays
from .engine import FORMAT_VERSION, MODES, solve, solve_arrays, solve_market
from .market import InvalidMarket, Market, compile_market

__all__ = [
    "FORMAT_VERSION",
    "MODES",
    "ArrayMarket",
    "InvalidMarket",
    "Market",
    "compile_arrays",
    "compile_market",
    "solve",
    "solve_arrays",
    "solve_market",
]
