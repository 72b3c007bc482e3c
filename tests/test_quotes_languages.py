"""Russian and Chinese attributions: the conventions of each language's news writing, on sentences written for
these tests (not the synthetic generator's), with the speaker, role, sourcing kind and offsets of each."""

from __future__ import annotations

from newstrace.quotes import extract_attributions
from newstrace.quotes.trail import words

RU = (
    "«Мы не допустим эскалации на границе», — заявила официальный представитель МИД Мария Захарова.\n"
    "Она добавила: «Ответ будет симметричным и быстрым».\n"
    "Министр обороны Андрей Белоусов, выступая в Москве, заявил, что учения продлятся до конца месяца.\n"
    "По словам источника, знакомого с ходом переговоров, стороны не договорились о сроках.\n"
    "Как говорится в докладе комиссии, ущерб превысил миллиард рублей.\n"
    "Пресс-служба Кремля сообщила, что встреча состоится на следующей неделе.\n"
    "Переговоры прервали без объяснения причин, — сообщили в ведомстве.\n"
    "Захарова написала в Telegram: «Это провокация, и мы на неё ответим».\n"
    "Погода в столице остаётся тёплой, а в выходные ожидаются дожди."
)

ZH = (
    "“我们坚决反对任何形式的干涉，”外交部发言人汪文斌表示。\n"
    "他强调：“中方将采取一切必要措施维护自身权益。”\n"
    "据知情人士称，双方的谈判已经陷入僵局。\n"
    "商务部在声明中表示，新的关税措施将于下月生效。\n"
    "报告指出，今年的出口增长明显放缓。\n"
    "汪文斌在微博上写道：“事实胜于雄辩。”\n"
    "今天北京天气晴朗，气温适宜。"
)


def _by_content(atts: list, text: str) -> dict[str, object]:
    return {text[a.content_start:a.content_end]: a for a in atts}


def test_russian_quotes_speakers_and_kinds() -> None:
    atts = extract_attributions(RU, "ru")
    got = [(a.kind, a.speaker_name or a.speaker, a.direct) for a in atts]
    assert got == [
        ("named-person", "Мария Захарова", True),
        ("named-person", "Мария Захарова", True),  # «Она добавила:» — the last woman quoted
        ("named-person", "Андрей Белоусов", False),
        ("anonymous", "источника, знакомого с ходом переговоров", False),
        ("document", "докладе комиссии", False),
        ("named-organisation", "Пресс-служба Кремля", False),
        ("anonymous", "в ведомстве", False),
        ("social-media", "Мария Захарова", True),  # a surname alone finds the full name
    ]
    first = atts[0]
    assert RU[first.content_start:first.content_end] == "«Мы не допустим эскалации на границе»"
    assert first.role == "официальный представитель МИД" and first.cue == "заявила"
    assert RU[first.cue_start:first.cue_end] == "заявила"
    assert atts[2].content.startswith("учения продлятся") and atts[2].role is not None
    assert "Погода" not in " ".join(a.content for a in atts)  # a sentence without a cue is no attribution


def test_russian_initials_and_a_name_beside_an_institution() -> None:
    atts = extract_attributions("«Мы ответим», — заявил В. Путин. Потом пошёл дождь.\n"
                                "Президент В.В. Путин, выступая в Кремле, заявил, что ответ будет.", "ru")
    assert [(a.speaker_name, a.role, a.kind) for a in atts] == [
        ("В. Путин", None, "named-person"), ("В.В. Путин", "Президент", "named-person")]
    # without a name, «в Кремле» is an unnamed institutional source
    [a] = extract_attributions("Переговоры продолжатся, — сообщили в Кремле.", "ru")
    assert (a.kind, a.speaker_name) == ("anonymous", None)


def test_chinese_quotes_speakers_and_kinds() -> None:
    atts = extract_attributions(ZH, "zh")
    got = [(a.kind, a.speaker_name or a.speaker, a.direct) for a in atts]
    assert got == [
        ("named-person", "汪文斌", True),
        ("named-person", "汪文斌", True),  # 他强调：“…” — the last person quoted
        ("anonymous", "知情人士", False),
        ("named-organisation", "商务部", False),
        ("document", "报告", False),
        ("social-media", "汪文斌", True),
    ]
    assert atts[2].speaker_name is None  # an unnamed source stays unnamed
    first = atts[0]
    assert ZH[first.content_start:first.content_end] == "“我们坚决反对任何形式的干涉，”"
    assert first.role == "外交部发言人" and first.cue == "表示"
    assert ZH[atts[1].content_start:atts[1].content_end] == "“中方将采取一切必要措施维护自身权益。”"


def test_offsets_point_into_the_text() -> None:
    for text, lang in ((RU, "ru"), (ZH, "zh")):
        for a in extract_attributions(text, lang):
            assert text[a.cue_start:a.cue_end] == a.cue
            assert text[a.speaker_start:a.speaker_end] == a.speaker, (a.speaker, text[a.speaker_start:a.speaker_end])
            assert a.content in text[a.content_start:a.content_end]


def test_languages_without_rules_and_empty_texts_give_nothing() -> None:
    assert extract_attributions("«Текст», — заявил он.", "de") == []
    assert extract_attributions("", "ru") == [] and extract_attributions("   ", "zh") == []


def test_a_chinese_quote_is_compared_character_by_character() -> None:
    """Quote trails compare words; Chinese has no spaces, so each character is a word (an altered character shows)."""
    assert words("中方将采取必要措施。") == ["中", "方", "将", "采", "取", "必", "要", "措", "施"]
    assert words("Don’t stop, 2024!") == ["don't", "stop", "2024"]
    assert words("«Мы не примем это»") == ["мы", "не", "примем", "это"]
