"""Free text of the demo: company and people names, NPS comments, ticket categories.

Everything here must be encodable in cp932 (Shift-JIS), the encoding `--cp932` writes: no
wave dashes, em dashes or emoji. `髙` and `㈱` are deliberate: they exist only in cp932's
vendor extensions, the classic trap of Shift-JIS exports.
"""

from __future__ import annotations

import numpy as np

FAMILY_NAMES = (
    "山田", "佐藤", "鈴木", "高橋", "髙橋", "田中", "伊藤", "渡辺", "中村", "小林",
    "加藤", "吉田", "山本", "松本", "井上", "木村", "林", "清水", "髙木", "森",
)  # fmt: skip
GIVEN_NAMES = ("太郎", "花子", "健", "美咲", "翔", "由美", "大輔", "愛", "誠", "恵")
ROMAN_GIVEN = ("taro", "hanako", "ken", "misaki", "sho", "yumi", "daisuke", "ai", "makoto")
PLACES = ("", "", "", "東京", "大阪", "名古屋", "福岡", "札幌", "横浜", "京都")
BUSINESSES = (
    "商事", "製作所", "工業", "物産", "建設", "運輸", "食品", "電機",
    "テクノロジーズ", "ソリューションズ", "薬品", "不動産", "印刷", "精機",
)  # fmt: skip
# (pattern, weight): `{}` is place + family name + business
JAPANESE_FORMS = (
    ("株式会社{}", 0.6),
    ("{}株式会社", 0.25),
    ("㈱{}", 0.04),
    ("合同会社{}", 0.06),
    ("有限会社{}", 0.05),
)
ENGLISH_WORDS = ("Acme", "Globex", "Initech", "Northwind", "Contoso", "Umbrella", "Stark")
ENGLISH_TRADES = ("Trading", "Logistics", "Foods", "Robotics", "Health", "Media", "Labs")
ENGLISH_FORMS = ("{} {}, Inc.", "{} {} Pte. Ltd.", "{} {} Co.", "{} {} GmbH")

PROMOTER_COMMENTS = (
    "とても使いやすい、助かっています",
    "請求書の作成時間が半分になりました。",
    "経理チーム全員が毎日使っています。\n特に自動仕訳が便利です。",
    'Great product, the "auto-match" feature saves us hours every month.',
    "We love it, honestly.\nOnboarding was quick, and support is friendly.",
)
PASSIVE_COMMENTS = (
    "概ね満足ですが、画面の動作がもう少し速いと嬉しいです。",
    "機能は十分。価格がもう少し安ければ…",
    "Solid, but the mobile app needs work.\nExport to CSV is slow.",
    "Does the job, nothing more, nothing less.",
)
DETRACTOR_COMMENTS = (
    "動作が遅い\n特に月末の締め処理",
    "料金が高い、機能が足りない",
    "サポートの返信に3日かかりました。",
    'Too slow at month end, and support took days to answer. "Urgent" means urgent!',
    "Missing features we need,\nconsidering other vendors.",
)
TICKET_CATEGORIES = (
    "billing",
    "login",
    "bug",
    "how-to",
    "integration",
    "data import",
    "feature request",
    "請求書の送付",
    "権限設定",
)
TICKET_CATEGORY_WEIGHTS = (0.14, 0.12, 0.14, 0.2, 0.1, 0.1, 0.06, 0.08, 0.06)


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def company_name(rng: np.random.Generator, japanese: bool) -> str:
    """A company name: mostly Japanese (株式会社…), English for foreign customers."""
    if not japanese:
        form = _pick(rng, ENGLISH_FORMS)
        return form.format(_pick(rng, ENGLISH_WORDS), _pick(rng, ENGLISH_TRADES))
    forms, weights = zip(*JAPANESE_FORMS, strict=True)
    form = forms[int(rng.choice(len(forms), p=weights))]
    return form.format(_pick(rng, PLACES) + _pick(rng, FAMILY_NAMES) + _pick(rng, BUSINESSES))


def person_name(rng: np.random.Generator) -> str:
    """A Japanese full name (personal data of the demo, invented)."""
    return f"{_pick(rng, FAMILY_NAMES)} {_pick(rng, GIVEN_NAMES)}"


def contact_email(rng: np.random.Generator, account_id: str) -> str:
    """An invented e-mail address at the account's example domain."""
    return f"{_pick(rng, ROMAN_GIVEN)}.{int(rng.integers(1, 99))}@{account_id}.example.jp"


def nps_comment(rng: np.random.Generator, score: int) -> str:
    """A comment that fits the score: promoter, passive or detractor."""
    if score >= 9:
        return _pick(rng, PROMOTER_COMMENTS)
    return _pick(rng, PASSIVE_COMMENTS if score >= 7 else DETRACTOR_COMMENTS)


def ticket_category(rng: np.random.Generator) -> str:
    """A help desk category, some in Japanese."""
    return TICKET_CATEGORIES[int(rng.choice(len(TICKET_CATEGORIES), p=TICKET_CATEGORY_WEIGHTS))]
