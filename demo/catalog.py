"""The demo company's price book and the vocabularies its systems use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

CURRENCIES = ("JPY", "USD")
PERIODS = (1, 3, 6, 12)
PERIOD_DISCOUNT = {1: Decimal("1"), 3: Decimal("0.97"), 6: Decimal("0.94"), 12: Decimal("0.9")}
USD_PER_JPY_LIST = Decimal(1) / Decimal(150)

# product, short code, tier names with monthly list price per seat in JPY
PRODUCTS: dict[str, tuple[str, tuple[tuple[str, int], ...]]] = {
    "invoicing": ("inv", (("Basic", 1200), ("Pro", 2000), ("Enterprise", 3500))),
    "expense": ("exp", (("Standard", 800), ("Premium", 1400))),
    "payroll": ("pay", (("Standard", 1500), ("Premium", 2500))),
}
PERIOD_NAMES = {1: "Monthly", 3: "Quarterly", 6: "Half-year", 12: "Annual"}


@dataclass(frozen=True)
class Plan:
    """One row of the price book."""

    plan_id: str
    product: str
    plan_name: str
    tier: int
    billing_period_months: int
    currency: str
    list_price: Decimal

    def row(self) -> tuple[object, ...]:
        """The plans.csv row."""
        return (
            self.plan_id,
            self.product,
            self.plan_name,
            self.tier,
            self.billing_period_months,
            self.currency,
            self.list_price,
        )


def _list_price(monthly_jpy: int, period: int, currency: str) -> Decimal:
    price = monthly_jpy * period * PERIOD_DISCOUNT[period]
    if currency == "JPY":
        return (price / 10).quantize(Decimal(1)) * 10
    return (price * USD_PER_JPY_LIST * 2).quantize(Decimal(1)) / 2


def build_plans() -> dict[str, Plan]:
    """Every product, tier, billing period and currency: `inv-pro-12m-jpy` and so on."""
    plans = {}
    for product, (code, tiers) in PRODUCTS.items():
        for tier, (tier_name, monthly) in enumerate(tiers, start=1):
            for period in PERIODS:
                for currency in CURRENCIES:
                    plan_id = f"{code}-{tier_name.lower()}-{period}m-{currency.lower()}"
                    name = f"{product.title()} {tier_name} {PERIOD_NAMES[period]}"
                    if currency != "JPY":
                        name += f" ({currency})"
                    price = _list_price(monthly, period, currency)
                    plans[plan_id] = Plan(plan_id, product, name, tier, period, currency, price)
    return plans


PLANS = build_plans()


def plan_for(product: str, tier: int, period: int, currency: str) -> Plan:
    """The price-book entry of one product, tier, billing period and currency."""
    code, tiers = PRODUCTS[product]
    tier_name = tiers[tier - 1][0].lower()
    return PLANS[f"{code}-{tier_name}-{period}m-{currency.lower()}"]


def tiers_of(product: str) -> int:
    """How many tiers a product line has."""
    return len(PRODUCTS[product][1])


COMPANY_SIZES = ("smb", "mid", "enterprise")
COMPANY_SIZE_WEIGHTS = (0.65, 0.27, 0.08)
SEATS_BY_SIZE = {"smb": (1, 15), "mid": (10, 80), "enterprise": (50, 400)}
TEAM_BY_SIZE = {"smb": "SMB", "mid": "Mid-Market", "enterprise": "Enterprise"}
TEAM_WEIGHTS = {"SMB": 0.5, "Mid-Market": 0.3, "Enterprise": 0.2}
PERIOD_WEIGHTS_BY_SIZE = {
    "smb": (0.62, 0.1, 0.06, 0.22),
    "mid": (0.4, 0.12, 0.08, 0.4),
    "enterprise": (0.1, 0.05, 0.05, 0.8),
}
PRIMARY_PRODUCTS = ("invoicing", "expense", "payroll")
PRIMARY_PRODUCT_WEIGHTS = (0.78, 0.13, 0.09)
INDUSTRIES = (
    "manufacturing",
    "retail",
    "it",
    "construction",
    "healthcare",
    "logistics",
    "real estate",
    "professional services",
    "food & beverage",
    "education",
)
FOREIGN_COUNTRIES = ("US", "SG", "GB", "AU", "TH", "VN", "DE")
FOREIGN_COUNTRY_WEIGHTS = (0.45, 0.2, 0.1, 0.1, 0.06, 0.05, 0.04)

MILESTONES = ("kickoff", "setup", "training", "go_live")
ACTIVITY_TYPES = ("meeting", "call", "email", "visit", "webinar", "chat")
ACTIVITY_MINUTES = {
    "meeting": (30, 90),
    "call": (10, 45),
    "email": (0, 15),
    "visit": (60, 180),
    "webinar": (45, 90),
    "chat": (5, 20),
}
STAGE_ACTIVITY_WEIGHTS = {
    "onboarding": (0.35, 0.2, 0.15, 0.1, 0.15, 0.05),
    "adoption": (0.15, 0.25, 0.3, 0.03, 0.12, 0.15),
    "renewal": (0.35, 0.3, 0.2, 0.1, 0.0, 0.05),
    "expansion": (0.4, 0.25, 0.15, 0.15, 0.0, 0.05),
}
CHANNELS = ("email", "phone", "chat", "line", "web")
CHANNEL_WEIGHTS = (0.35, 0.12, 0.2, 0.08, 0.25)
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_WEIGHTS = (0.3, 0.5, 0.15, 0.05)

# The price book as arrays, for the vectorised simulation: plan codes index PLAN_LIST.
PLAN_LIST = tuple(PLANS.values())
PLAN_IDS = tuple(plan.plan_id for plan in PLAN_LIST)
PRODUCT_NAMES = tuple(PRODUCTS)
CURRENCY_EXPONENT = np.array([0, 2])  # minor units: yen, cents
PLAN_PRODUCT = np.array([PRODUCT_NAMES.index(plan.product) for plan in PLAN_LIST])
PLAN_TIER = np.array([plan.tier for plan in PLAN_LIST])
PLAN_PERIOD = np.array([plan.billing_period_months for plan in PLAN_LIST])
PLAN_CURRENCY = np.array([CURRENCIES.index(plan.currency) for plan in PLAN_LIST])
PLAN_PRICE = np.array(
    [
        int(plan.list_price.scaleb(int(CURRENCY_EXPONENT[c])))
        for plan, c in zip(PLAN_LIST, PLAN_CURRENCY, strict=True)
    ]
)  # list price in minor units
TIERS = np.array([len(tiers) for _, tiers in PRODUCTS.values()])
PLAN_AT = np.full((len(PRODUCTS), int(TIERS.max()), 13, len(CURRENCIES)), -1)
for _code, _plan in enumerate(PLAN_LIST):
    PLAN_AT[PLAN_PRODUCT[_code], _plan.tier - 1, _plan.billing_period_months,
            PLAN_CURRENCY[_code]] = _code  # fmt: skip


def plan_codes(product, tier, period, currency) -> np.ndarray:
    """The plan code of each product, tier, billing period (months) and currency code."""
    return PLAN_AT[product, tier - 1, period, currency]
