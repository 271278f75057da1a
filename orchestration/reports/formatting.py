"""Numbers as the report and the CLI summary show them: money in the reporting currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Kind = Literal["money", "count", "pct", "number", "ratio"]

MISSING = "—"


@dataclass(frozen=True)
class CurrencyFormat:
    symbol: str
    decimals: int
    symbol_first: bool = True

    def plotly_axis(self) -> dict[str, str]:
        """tickprefix/ticksuffix/tickformat for a plotly axis that shows this currency."""
        affix = {"tickprefix": self.symbol} if self.symbol_first else {"ticksuffix": self.symbol}
        return {**affix, "tickformat": f",.{self.decimals}f"}


# ISO 4217 currencies with a customary symbol; any other code is written after the amount.
_CURRENCIES = {
    "JPY": CurrencyFormat("¥", 0),
    "USD": CurrencyFormat("$", 2),
    "EUR": CurrencyFormat("€", 2),
    "GBP": CurrencyFormat("£", 2),
    "KRW": CurrencyFormat("₩", 0),
    "CNY": CurrencyFormat("CN¥", 2),
}


def currency_format(code: str) -> CurrencyFormat:
    return _CURRENCIES.get(code.upper(), CurrencyFormat(f" {code.upper()}", 2, symbol_first=False))


def format_money(value: Decimal | float, currency: str) -> str:
    style = currency_format(currency)
    # Half up, as invoices round; the sign of what is shown, so no "-¥0".
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-style.decimals), ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    digits = f"{abs(number):,.{style.decimals}f}"
    return (
        f"{sign}{style.symbol}{digits}" if style.symbol_first else f"{sign}{digits}{style.symbol}"
    )


def format_value(value: object, kind: Kind, currency: str) -> str:
    """One KPI value; NULL (no data, or not defined yet) is a dash."""
    if value is None:
        return MISSING
    number = Decimal(str(value))
    if kind == "money":
        return format_money(number, currency)
    if kind == "count":
        return f"{number:,.0f}"
    if kind == "pct":
        return f"{number:,.1f}%"
    if kind == "ratio":
        return f"{number:,.2f}"
    return f"{number:,.1f}"


def format_change(current: object, previous: object, kind: Kind, currency: str) -> str:
    """Change against the previous month: money and counts with their relative change,
    percentages in percentage points."""
    if current is None or previous is None:
        return MISSING
    now, before = Decimal(str(current)), Decimal(str(previous))
    delta = now - before
    sign = "+" if delta >= 0 else ""
    if kind == "pct":
        return f"{sign}{delta:,.1f} pt"
    if kind in ("number", "ratio"):
        return f"{sign}{format_value(delta, kind, currency)}"
    absolute = f"{sign}{format_value(delta, kind, currency)}"
    if before == 0:
        return absolute
    return f"{absolute} ({sign}{delta / abs(before) * 100:,.1f}%)"
