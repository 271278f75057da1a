"""Free text of the demo: company and people names, NPS comments, ticket categories.

Everything here must be encodable in cp932 (Shift-JIS), the encoding `--cp932` writes: no
wave dashes, em dashes or emoji. `髙` and `㈱` are deliberate: they exist only in cp932's
vendor extensions, the classic trap of Shift-JIS exports.
"""

from __future__ import annotations

import numpy as np

from demo.draws import pick

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


COMMENTS = PROMOTER_COMMENTS + PASSIVE_COMMENTS + DETRACTOR_COMMENTS
COMMENT_GROUPS = tuple(len(group) for group in (PROMOTER_COMMENTS, PASSIVE_COMMENTS))
JAPANESE_NAMES = tuple(
    form.format(place + family + business)
    for form, _ in JAPANESE_FORMS
    for place in PLACES
    for family in FAMILY_NAMES
    for business in BUSINESSES
)
ENGLISH_NAMES = tuple(
    form.format(word, trade)
    for form in ENGLISH_FORMS
    for word in ENGLISH_WORDS
    for trade in ENGLISH_TRADES
)
COMPANY_NAMES = JAPANESE_NAMES + ENGLISH_NAMES  # every name the demo can give a company


def company_names(rng: np.random.Generator, japanese: np.ndarray) -> np.ndarray:
    """Codes into COMPANY_NAMES: mostly Japanese (株式会社…), English for foreign customers."""
    count = len(japanese)
    japanese_code = pick(rng.random(count), [weight for _, weight in JAPANESE_FORMS])
    for options in (PLACES, FAMILY_NAMES, BUSINESSES):
        japanese_code = japanese_code * len(options) + rng.integers(len(options), size=count)
    english_code = rng.integers(len(ENGLISH_FORMS), size=count)
    for options in (ENGLISH_WORDS, ENGLISH_TRADES):
        english_code = english_code * len(options) + rng.integers(len(options), size=count)
    return np.where(japanese, japanese_code, len(JAPANESE_NAMES) + english_code)


def person_name(rng: np.random.Generator) -> str:
    """A Japanese full name (personal data of the demo, invented)."""
    family, given = rng.integers(len(FAMILY_NAMES)), rng.integers(len(GIVEN_NAMES))
    return f"{FAMILY_NAMES[family]} {GIVEN_NAMES[given]}"


def nps_comments(rng: np.random.Generator, score: np.ndarray) -> np.ndarray:
    """Codes into COMMENTS that fit each score: promoter (9-10), passive (7-8), detractor."""
    promoters, passives = COMMENT_GROUPS
    group = np.where(score >= 9, 0, np.where(score >= 7, 1, 2))
    first = np.array([0, promoters, promoters + passives])[group]
    sizes = np.array([promoters, passives, len(COMMENTS) - promoters - passives])[group]
    return first + (rng.random(len(score)) * sizes).astype(np.int64)
