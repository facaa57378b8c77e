"""LGOTP's own fields on the Participants sheet."""

from __future__ import annotations

from kenshu import Field

FIELDS = (
    Field(
        id="placement_test_score",
        type="integer",
        label="Placement test score",
        label_ja="日本語クラス分けテスト得点",
        help="Score (0-100) of the Japanese placement test on orientation day 2; sets the JIAM class.",
        help_ja="東京研修2日目の日本語クラス分けテストの得点(0〜100)",
        minimum=0,
        maximum=100,
        sheet="participants",
    ),
    Field(
        id="recommended",
        type="yes_no",
        label="Recommended by own government",
        label_ja="所属団体の推薦",
        help="yes when the trainee's own government recommends them for the training.",
        help_ja="所属する地方政府の推薦がある場合は「はい」",
        sheet="participants",
    ),
    Field(
        id="field_of_training",
        type="text",
        label="Field of training",
        label_ja="研修分野",
        help="Tourism, industry, agriculture, medical care, environment, education...",
        help_ja="観光・産業・農業・医療・環境・教育など",
        sheet="participants",
    ),
    Field(
        id="nominated_by_host",
        type="code",
        label="Nominated by host",
        label_ja="指名した受入団体",
        help="host_id of the host that nominated this trainee (a sister-city nomination).",
        help_ja="この研修員を指名した受入団体のID(姉妹都市からの指名)",
        sheet="participants",
    ),
    Field(
        id="leadership_evidence",
        type="text",
        label="Leadership evidence",
        label_ja="リーダーとしての資質",
        help="What shows the qualities to become a leader in their field.",
        help_ja="分野のリーダーとなる資質を示す事柄",
        sheet="participants",
    ),
)
