"""Fixed reference data of the demo company: price book, names, vocabularies."""

from __future__ import annotations

# plan_id, product, plan_name, tier, billing_period_months, currency, list_price
PLANS: tuple[tuple[str, str, str, int, int, str, int], ...] = (
    ("inv-basic-m", "invoicing", "Invoicing Basic", 1, 1, "JPY", 1200),
    ("inv-pro-m", "invoicing", "Invoicing Pro", 2, 1, "JPY", 2000),
    ("inv-pro-q", "invoicing", "Invoicing Pro Quarterly", 2, 3, "JPY", 5700),
    ("inv-pro-h", "invoicing", "Invoicing Pro Half-year", 2, 6, "JPY", 11000),
    ("inv-pro-y", "invoicing", "Invoicing Pro Annual", 2, 12, "JPY", 21600),
    ("inv-ent-y", "invoicing", "Invoicing Enterprise Annual", 3, 12, "JPY", 36000),
    ("exp-std-m", "expense", "Expense Standard", 1, 1, "JPY", 800),
    ("exp-std-y", "expense", "Expense Standard Annual", 1, 12, "JPY", 8640),
    ("pay-std-m", "payroll", "Payroll Standard", 1, 1, "JPY", 1500),
    ("inv-pro-m-usd", "invoicing", "Invoicing Pro (USD)", 2, 1, "USD", 15),
    ("inv-pro-y-usd", "invoicing", "Invoicing Pro Annual (USD)", 2, 12, "USD", 160),
    ("exp-std-m-usd", "expense", "Expense Standard (USD)", 1, 1, "USD", 6),
)

PRIMARY_PLANS = {
    "JPY": ("inv-basic-m", "inv-pro-m", "inv-pro-q", "inv-pro-h", "inv-pro-y", "inv-ent-y"),
    "USD": ("inv-pro-m-usd", "inv-pro-y-usd"),
}
PRIMARY_PLAN_WEIGHTS = {"JPY": (0.2, 0.35, 0.08, 0.05, 0.22, 0.10), "USD": (0.6, 0.4)}
CROSS_SELL_PLANS = {"JPY": ("exp-std-m", "exp-std-y", "pay-std-m"), "USD": ("exp-std-m-usd",)}
UPGRADE = {"inv-basic-m": "inv-pro-m", "inv-pro-m": "inv-pro-y", "inv-pro-y": "inv-ent-y"}

COMPANY_SIZES = ("smb", "mid", "enterprise")
COMPANY_SIZE_WEIGHTS = (0.65, 0.27, 0.08)
SEATS_BY_SIZE = {"smb": (2, 15), "mid": (10, 60), "enterprise": (40, 300)}
INDUSTRIES = ("manufacturing", "retail", "it", "construction", "healthcare", "logistics")
NAME_STEMS = ("山田", "髙橋", "佐藤", "鈴木", "田中", "伊藤", "渡辺", "中村", "小林", "加藤")
NAME_SUFFIXES = ("商事", "製作所", "工業", "ホールディングス", "テック", "物産")
ENGLISH_NAMES = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark")
TEAMS = ("SMB", "Mid-Market", "Enterprise")

MILESTONES = ("kickoff", "setup", "training", "go_live")
ACTIVITY_TYPES = ("meeting", "call", "email", "visit", "webinar", "chat")
CHANNELS = ("email", "phone", "chat", "line", "web")
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_WEIGHTS = (0.35, 0.45, 0.15, 0.05)
CATEGORIES = ("billing", "how-to", "bug", "integration", "account")

COMMENTS_GOOD = (
    "とても使いやすい、助かっています",
    'Great product, the "auto-match" feature saves hours',
    "請求書の作成が早くなりました。",
)
COMMENTS_BAD = (
    "動作が遅い\n特に月末",
    "Too slow to load, and support took days",
    "料金が高い、機能が足りない",
)
