"""JST's own fields: the host city and the application deadline on the Cohort sheet, the
application date (and where a carried-over participant came from) on Participants."""

from __future__ import annotations

from kenshu import Field

FIELDS = (
    Field(
        id="host_city",
        type="text",
        label="Host city",
        label_ja="訪問先都市",
        help="The city (or prefecture) the tour visits after Tokyo, e.g. Tsu City, Mie. "
        "Leave empty while it is not fixed: the report says so.",
        help_ja="東京の後に訪問する都市(または県)。例: 三重県津市。未定の間は空欄",
        sheet="cohort",
    ),
    Field(
        id="application_deadline",
        type="date",
        label="Application deadline",
        label_ja="応募締切日",
        help="Last day applications are accepted; empty: the application_deadline setting "
        "(30 September before the tour).",
        help_ja="応募の締切日。空欄の場合は設定 application_deadline(ツアー前年の9月30日)",
        sheet="cohort",
    ),
    Field(
        id="application_date",
        type="date",
        label="Application date",
        label_ja="応募日",
        help="The day the application reached JLGC London.",
        help_ja="応募書類がJLGCロンドン事務所に届いた日",
        sheet="participants",
    ),
    Field(
        id="carried_from",
        type="code",
        label="Carried over from",
        label_ja="延期前の参加者",
        help="For a participant carried over from a postponed tour: that tour's cohort id and "
        "the participant's id there (cohort_id:participant_id). Written by kenshu jst carry-over.",
        help_ja="延期されたツアーから引き継いだ参加者の、元のコホートIDと参加者ID"
        "(cohort_id:participant_id)。kenshu jst carry-over が記入します",
        sheet="participants",
    ),
)
