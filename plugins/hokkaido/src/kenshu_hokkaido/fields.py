"""The fields the plugin adds to the core sheets, per programme."""

from __future__ import annotations

from kenshu import Field

from kenshu_hokkaido import programmes as P

PARTNERS = Field(
    id="partners",
    type="list",
    label="Partner organisations",
    label_ja="共催・協力団体",
    help="Municipalities and local international exchange organisations it is held with, separated by ';'.",
    help_ja="共催・協力する市町村や地域の国際交流団体(;区切り)",
    sheet="activities",
)
LECTURER_BASED = Field(
    id="lecturer_based",
    type="choice",
    label="Lecturer based",
    label_ja="講師の拠点",
    help="Where the lecturer comes from: hokkaido, elsewhere_in_japan or abroad.",
    help_ja="講師の拠点: 道内(hokkaido)、道外(elsewhere_in_japan)、海外(abroad)",
    choices=("hokkaido", "elsewhere_in_japan", "abroad"),
    aliases={
        "道内": "hokkaido",
        "within hokkaido": "hokkaido",
        "道外": "elsewhere_in_japan",
        "beyond hokkaido": "elsewhere_in_japan",
        "outside hokkaido": "elsewhere_in_japan",
        "国外": "abroad",
        "海外": "abroad",
    },
    sheet="activities",
)
LECTURER_COOPERATION = Field(
    id="lecturer_cooperation",
    type="yes_no",
    label="Lecturer took part in cooperation",
    label_ja="講師の国際協力経験",
    help="yes if the lecturer took part in international cooperation activities (JOCV, NGO, JICA...).",
    help_ja="講師が国際協力活動(青年海外協力隊・NGO・JICAなど)に参加した経験があれば「はい」",
    sheet="activities",
)
LECTURER_EXPERIENCE = Field(
    id="lecturer_experience",
    type="text",
    label="Lecturer's cooperation experience",
    label_ja="講師の協力活動歴",
    help="What cooperation the lecturer took part in, where and when (e.g. JOCV, Zambia, 2015-2017).",
    help_ja="講師の国際協力活動の内容・場所・時期(例: 青年海外協力隊 ザンビア 2015〜2017年)",
    sheet="activities",
)
GRADE = Field(
    id="high_school_grade",
    type="integer",
    label="School year",
    label_ja="学年",
    help="The student's year at high school (1-4; 4 for part-time courses).",
    help_ja="高校の学年(1〜4。定時制は4年まで)",
    minimum=1,
    maximum=4,
    sheet="participants",
)
ENROLLED = Field(
    id="enrolled_at_school",
    type="yes_no",
    label="Enrolled at the school",
    label_ja="在籍",
    help="yes if the student is enrolled at the high school named in Home organisation.",
    help_ja="所属団体欄の高校に在籍していれば「はい」",
    sheet="participants",
)
FIELD_OF_TRAINING = Field(
    id="field_of_training",
    type="text",
    label="Field of training",
    label_ja="研修分野",
    help="The technical field the trainee trains in (agriculture, dairy, civil engineering...).",
    help_ja="研修する技術分野(農業・酪農・土木など)",
    sheet="participants",
)

BY_PROGRAMME: dict[str, tuple[Field, ...]] = {
    P.LECTURES: (PARTNERS,),
    P.COURSE: (LECTURER_BASED, PARTNERS),
    P.SEMINARS: (LECTURER_COOPERATION, LECTURER_EXPERIENCE),
    P.EXCHANGE_MISSION: (),
    P.HIGHSCHOOL_MISSION: (GRADE, ENROLLED),
    P.TECHNICAL_TRAINEES: (FIELD_OF_TRAINING,),
}
