"""`--survey-format delighted`: the same company's NPS answers as Delighted's API responses.

Each drop's `nps_responses.csv` becomes `delighted/survey_responses.json`, the body of
`GET /v1/survey_responses.json?expand[]=person` (a JSON array): `survey_type` nps, the
answer's `created_at` in epoch seconds, the account in `person_properties.account_id`, the
e-mail on the expanded person. A value the contract loader could not read either is written
as it is, so the mapping quarantines the same record.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from demo.vendor_landing import contract_drops, moment

FOLDER = "delighted"


def write_delighted(out: Path, encoding: str = "utf-8-sig") -> None:
    """Replace every drop's nps_responses.csv in `out` by Delighted's responses."""
    for drop, rows in contract_drops(out, "nps_responses", encoding):
        folder = drop / FOLDER
        folder.mkdir()
        body = [_response(number, row) for number, row in enumerate(rows)]
        (folder / "survey_responses.json").write_text(
            json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8"
        )


def _response(number: int, row: dict) -> dict:
    answered = moment(row["responded_at"])
    seconds = int(answered.timestamp()) if isinstance(answered, datetime) else answered
    score = int(row["score"]) if row["score"].isdigit() else row["score"] or None
    properties = {"account_id": row["account_id"]} if row["account_id"] else {}
    return {
        "id": row["response_id"],
        "person": {"id": f"p{number}", "email": row["contact_email"] or None},
        "survey_type": "nps",
        "score": score,
        "comment": row["comment"] or None,
        "created_at": seconds,
        "updated_at": seconds,
        "person_properties": properties,
    }
