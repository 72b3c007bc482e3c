"""Chinese attributions, rule-based, from how Chinese news writes them.

A direct quote sits in “…” and its speaker follows with the cue (“……，”外交部发言人汪文斌表示。) or
precedes it with a colon (他说：“……”). Reported speech puts the speaker and cue first and the content
after a comma (商务部主任李明指出，……。), and «据…称» gives a source (据知情人士称，……). A title
comes before the name (外交部发言人 + 汪文斌), so the name is what follows the last title word; a later
他/她 or 这位主任 refers back to the last person quoted.
"""

from __future__ import annotations

import re

from .models import Attribution

_CUES = ["表示", "强调", "指出", "警告", "解释说", "补充说", "说道", "说", "称", "透露", "介绍说", "介绍", "认为",
         "坦言", "写道", "宣布", "回应说", "回应", "提到", "声称", "证实", "告诉记者", "对记者说", "呼吁", "重申",
         "承认", "否认", "发文称", "发帖称"]
CUE = "(?:" + "|".join(sorted(_CUES, key=len, reverse=True)) + ")"
_PLAIN = r"[^“”\"。！？!?，,：:；;\n]"  # a speaker phrase: no punctuation

_PATTERNS = [
    # “……，”外交部发言人汪文斌表示。
    ("quote-speaker", re.compile(r"“(?P<q>[^“”]{2,}?)[，,。！？]?”(?P<sp>" + _PLAIN + r"{1,30}?)(?P<cue>" + CUE
                                 + r")[。！？!?]")),
    # 他说：“……”
    ("speaker-colon", re.compile(r"(?P<sp>" + _PLAIN + r"{1,30}?)(?P<cue>" + CUE + r")[：:]\s*“(?P<q>[^“”]{2,}?)”")),
    # 据知情人士称，…… / 据新华社报道，……
    ("according", re.compile(r"(?:^|(?<=[。！？!?\n]))(?P<lead>据)(?P<sp>" + _PLAIN + r"{1,30}?)(?P<cue>称|报道|透露|"
                             r"介绍|消息)[，,](?P<r>[^。！？!?\n]+)")),
    # 商务部主任李明指出，……。
    ("reported", re.compile(r"(?:^|(?<=[。！？!?\n]))(?P<sp>" + _PLAIN + r"{1,30}?)(?P<cue>" + CUE
                            + r")[，,](?P<r>[^。！？!?\n“”]+)")),
]

_TITLES = ["发言人", "新闻发言人", "主任", "研究员", "市长", "部长", "副部长", "主席", "总统", "总理", "大使", "专家",
           "教授", "局长", "经理", "书记", "院长", "代表", "司长", "省长", "州长", "总裁", "董事长", "负责人", "分析师",
           "外交官", "官员", "议员", "将军", "记者", "学者", "委员", "处长", "秘书长", "主编", "所长", "博士"]
_TITLE_RE = re.compile("|".join(sorted(_TITLES, key=len, reverse=True)))
_PRONOUNS = {"他": "m", "她": "f", "他们": "p", "她们": "p"}
_ANONYMOUS = re.compile(r"消息人士|知情人士|匿名|消息来源|人士|^官员$|^官员们$|目击者|内部人士")
_DOCUMENT = re.compile(r"(报告|声明|文件|公告|通报|决议|起诉书|白皮书|研究|调查)$")
_ORG = re.compile(r"(部|局|所|委员会|政府|公司|办公室|新闻办|大使馆|使馆|院|署|会|组织|中心|银行|法院|集团|社)$")
_SOCIAL = re.compile(r"在(微博|微信|推特|Twitter|Telegram|脸书|Facebook|抖音|X|YouTube)(?:上|中|发文)?$")
_IN_STATEMENT = re.compile(r"(在|于)[^在于]{0,8}(声明|讲话|采访|会上|发布会上|记者会上)(中|上)?$")


class _Speakers:
    def __init__(self) -> None:
        self.people: list[tuple[str, str | None]] = []

    def add(self, name: str, role: str | None) -> str:
        self.people.append((name, role))
        return name

    def last(self, role_word: str | None = None) -> tuple[str | None, str | None]:
        for n, r in reversed(self.people):
            if role_word is None or (r and role_word in r):
                return n, r
        return (self.people[-1] if self.people else (None, None)) if role_word else (None, None)


def _speaker(phrase: str, people: _Speakers) -> tuple[str, str | None, str | None, str]:
    """(kind, speaker name, role, phrase as written)."""
    written = phrase
    social = _SOCIAL.search(phrase)
    if social:
        phrase = phrase[:social.start()]
    phrase = _IN_STATEMENT.sub("", phrase)
    if _ANONYMOUS.search(phrase):
        return "anonymous", None, None, phrase
    if _DOCUMENT.search(phrase) and not _TITLE_RE.search(phrase):
        return "document", phrase, None, phrase
    if phrase in _PRONOUNS:
        name, role = people.last()
        return ("social-media" if social else "named-person"), name, role, written
    if phrase.startswith(("这位", "该")):  # 这位主任: the title of someone quoted before
        name, role = people.last(phrase[2:] if phrase.startswith("这位") else phrase[1:])
        return ("social-media" if social else "named-person"), name, role, written
    titles = list(_TITLE_RE.finditer(phrase))
    if titles:
        t = titles[-1]
        name = phrase[t.end():]
        role = phrase[:t.end()]
        if 2 <= len(name) <= 4:
            return ("social-media" if social else "named-person"), people.add(name, role), role, phrase
        if not name:
            return ("social-media" if social else "named-person"), None, role, phrase
    if _ORG.search(phrase) and not social:
        return "named-organisation", phrase, None, phrase
    if 2 <= len(phrase) <= 4:  # a bare name: 相凤兰在微博上写道
        return ("social-media" if social else "named-person"), people.add(phrase, None), None, phrase
    return ("social-media" if social else "anonymous"), None, None, phrase


def extract(text: str) -> list[Attribution]:
    """Every attribution the patterns find in a Chinese text (offsets into `text`), in reading order."""
    found: list[tuple[int, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for _name, pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m))
    found.sort(key=lambda x: x[0])
    people = _Speakers()
    out: list[Attribution] = []
    for _pos, m in found:
        g = m.groupdict()
        kind, name, role, phrase = _speaker(g["sp"], people)
        if g.get("q") is not None:
            c0, c1, content, direct = m.start("q") - 1, m.end("q") + 1, g["q"], True
            if c1 < len(text) and text[c1 - 1] != "”":
                c1 = text.find("”", c1 - 1) + 1 or c1
        else:
            c0, c1, content, direct = m.start("r"), m.end("r"), g["r"], False
        sp0 = m.start("sp") + max(0, g["sp"].find(phrase)) if phrase else m.start("sp")
        out.append(Attribution(
            content_start=c0, content_end=c1, content=content.strip("，,。 "), cue=g["cue"],
            cue_start=m.start("cue"), cue_end=m.end("cue"), speaker=phrase or None, speaker_start=sp0,
            speaker_end=sp0 + len(phrase), speaker_name=name, role=role, kind=kind, direct=direct,
            confidence=0.8 if direct else 0.6))
    return out
