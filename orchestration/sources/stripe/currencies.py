"""Stripe's currencies and the exponent of each one's minor unit (docs.stripe.com/currencies).

Stripe amounts are integers in the minor unit: cents for USD (exponent 2), whole yen for JPY
and Stripe's other zero-decimal currencies (0), thousandths for the three-decimal ones (3).
ISK, HUF and TWD are Stripe's "special cases": still sent with two decimals, so 2 here. A code
not listed (nor added with `currency_exponents` in sources.yml) is an unknown currency: its
records are quarantined rather than converted with a guessed exponent.
"""

from __future__ import annotations

# The 16 zero-decimal currencies, as Stripe lists them.
ZERO_DECIMAL = tuple("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())  # noqa: SIM905
THREE_DECIMAL = ("BHD", "JOD", "KWD", "OMR", "TND")
TWO_DECIMAL = """
USD AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BWP BYN BZD
CAD CDF CHF CNY COP CRC CVE CZK DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GTQ GYD HKD
HNL HTG HUF IDR ILS INR ISK JMD KES KGS KHR KYD KZT LAK LBP LKR LRD LSL MAD MDL MKD MMK MNT
MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB
SAR SBD SCR SEK SGD SHP SLE SOS SRD STD SZL THB TJS TOP TRY TTD TWD TZS UAH UYU UZS WST XCD
YER ZAR ZMW
""".split()  # noqa: SIM905 (139 codes read better as a block)


def exponents(extra: dict[str, int] | None = None) -> dict[str, int]:
    """Upper-case code -> exponent, with configured additions or corrections."""
    table = dict.fromkeys(TWO_DECIMAL, 2) | dict.fromkeys(ZERO_DECIMAL, 0)
    table |= dict.fromkeys(THREE_DECIMAL, 3)
    return table | {code.upper(): exponent for code, exponent in (extra or {}).items()}


def create_currency_table(connection, extra: dict[str, int] | None = None) -> None:
    """`csa_currencies (code, exponent, minor)`: minor = the major value of one minor unit."""
    table = exponents(extra)
    connection.execute(
        """create or replace temp table csa_currencies as
        select code, exponent, cast(power(10, -exponent) as decimal(18, 4)) as minor
        from (select unnest(?) as code, unnest(?) as exponent)""",
        [list(table), list(table.values())],
    )
