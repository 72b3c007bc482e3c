"""Attribution statements: what a page says about its own origin.

Republishers credit (or half-credit) their sources in a handful of set phrases: "The original source of
this article is X", "Originally published at X", "Source: X", "(Reuters) -" datelines, "Copyright ©
Author, Outlet, 2021", links out of the body. `detect_statements` finds those lines and names the
outlet, URL and domain they point at, so provenance can tell credited copies from uncredited ones.
Photo credits, disclaimers and ordinary sentences that happen to say "source" or "via" are not credits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newstrace.models import AttributionStatement
from newstrace.sites import name_matches_site, site_of

__all__ = ["detect_statements", "SOCIAL_DOMAINS"]

SOCIAL_DOMAINS = frozenset(str.split(
    "facebook.com fb.com fb.me twitter.com x.com t.co instagram.com telegram.org telegram.me t.me vk.com vk.ru "
    "youtube.com youtu.be linkedin.com lnkd.in whatsapp.com wa.me pinterest.com reddit.com tiktok.com "
    "ok.ru gab.com truthsocial.com threads.net bsky.app mastodon.social flipboard.com tumblr.com "
    "getpocket.com addthis.com sharethis.com"
))
_SOCIAL_LABELS = frozenset(d.split(".")[0] for d in SOCIAL_DOMAINS) - {"t", "x"}
_SHARE_PATH = re.compile(r"/(?:share|sharer|sharing|intent/\w+|submit|send)\b|[?&](?:share|u)=", re.I)
_MAX_LINE = 400  # credit lines are short; a long paragraph is prose (datelines are matched at its start only)

_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\(([^)\s]*)\)")
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s<>\"')\]]*)?", re.I)
_BARE_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)
_MEDIA_CREDIT = re.compile(
    r"^\W*(?:featured\s+|top\s+|cover\s+|header\s+|main\s+|lead\s+)?"
    r"(?:photo|image|picture|pic|photograph|illustration|graphic|video|footage|map|chart|infographic|"
    r"фото|изображение)s?\b",
    re.I,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_CUTS = [
    re.compile(rf",?\s+(?:on|in)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}(?:\s|\d|,|$).*$", re.I),
    re.compile(r",?\s+(?:on|in)\s+\d{1,4}[-/.]\d{1,2}.*$", re.I),
    re.compile(rf",?\s+{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}.*$", re.I),
    re.compile(rf",?\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}}.*$", re.I),
    re.compile(r",?\s+(?:under|with|and\s+(?:is|was|has\s+been)|and\s+(?:re)?published|and\s+reproduced)\s+.*$", re.I),
    re.compile(r"\.\s+(?=[A-Z]).*$"),
    re.compile(r"\s+\((?:opens|link|external)[^)]*\)?.*$", re.I),
    re.compile(r"\s*[|]\s*.*$"),
]
_CONNECTORS = {"of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "der", "die", "das", "on", "a", "an",
               "to", "in", "&", "at", "di", "al", "y", "und", "et", "news"}
_ROLE_WORDS = re.compile(
    r"\b(?:writer|correspondent|reporter|editor|contributor|staff|columnist|analyst|professor|author|journalist|"
    r"fellow|director|researcher|producer|photographer|intern|senior|special|guest|chief)\b",
    re.I,
)
_OUTLET_WORDS = re.compile(
    r"\b(?:news|times|post|press|agency|journal|tribune|herald|daily|gazette|media|tv|radio|network|review|"
    r"magazine|insider|today|observer|guardian|telegraph|monitor|chronicle|report|wire|blog|research|reuters|"
    r"tass|sputnik|xinhua|bloomberg|associated|afp|ria|novosti|rt|bbc|cnn|service|online|weekly|mail|star|"
    r"sun|globe|express|standard|independent|dispatch|bulletin|courier|digest|world|international|institute)\b",
    re.I,
)

# ...and whole words of Russian outlets' names ("— Взгляд Севера"; not the surname Голосов), and the endings of
# Chinese ones after a name of two characters or more ("（新华社）", "（南方时报）"; not "（快讯）" or "（情况通报）")
_OUTLET_WORDS_RU = re.compile(
    r"(?<!\w)(?:новости|вести|вестник|газета|агентство|радио|известия|правда|ведомости|курьер|журнал|информ|тасс|"
    r"риа|интерфакс|эхо|голос|время|взгляд|сводка|дайджест|медиа|тв|телеграф|бюллетень|портал|хроника|"
    r"коммерсантъ?|спутник)(?!\w)",
    re.I,
)
_ROLE_WORDS_RU = re.compile(
    r"(?<!\w)(?:подготовил[аи]?|автор|корреспондент|журналист(?:ка)?|редактор|обозреватель|фото|текст|перевод|"
    r"пресс-служба|сообщил[аи]?|заявил[аи]?|рассказал[аи]?)(?!\w)",
    re.I,
)
_SIGNATURE_ZH = re.compile(r"^\s*[（(]\s*(?:据|转自|转载自|本文转载自|摘自)?(?P<o>[\u4e00-\u9fff·]{2,16}?)\s*[)）]\s*$")
# a Russian outlet named by one word alone ("— Ведомости"); other one-word lines ("— Хроника", "— Правда?") are not
_RU_OUTLETS_ALONE = {"ведомости", "известия", "коммерсант", "коммерсантъ", "интерфакс", "тасс", "риа", "взгляд",
                     "фонтанка", "медуза", "росбалт", "регнум", "газета.ру", "лента.ру"}
_ZH_SUFFIXES = ("通讯社", "新闻社", "报社", "社", "新闻网", "网", "电视台", "电台", "新闻", "资讯", "快讯", "观察",
                "周刊", "杂志", "在线", "传媒", "通讯", "报")
# section labels and common words with an outlet's ending: "（国内新闻）", "（情况通报）", "（旅行社）", "（新闻网）"
_ZH_NOT_OUTLET = re.compile(
    r"^(?:相关|社会|国内|国际|财经|体育|娱乐|科技|军事|地方|热点|每日|最新|更多|记者|编者|情况|官方|合作|株式|互联|出版|"
    r"旅行|广播|有限)|^(?:新闻网|新闻社|电视台|通讯社|电台)$|(?:通报|举报|预报|警报|电报|简报|海报|见报|情报)$")

_ORIGINAL_SOURCE = re.compile(
    r"^\W*(?:the\s+)?original\s+source\s+(?:of|for)\s+this\s+(?:article|story|post|piece|report|item)\s+is\s*:?\s*"
    r"(?P<o>.+)$|^\W*read\s+(?:the\s+)?original(?:\s+(?:article|story|post|piece|version))?\s+(?:at|on|in|here\s+at)"
    r"\s*:?\s*(?P<o2>.+)$|^\W*original\s+(?:article|source|story|post)\s*:\s*(?P<o3>.+)$",
    re.I,
)
_ORIGINALLY = re.compile(
    r"^\W*(?:(?:this|the|a\s+(?:shorter\s+|longer\s+|different\s+)?version\s+of\s+this|an\s+earlier\s+version\s+of\s+"
    r"this)\s+(?:article|story|post|piece|report|op-?ed|commentary|essay|interview|analysis|column)\s+"
    r"(?:was\s+|is\s+|has\s+been\s+|had\s+been\s+)?|it\s+was\s+|was\s+)?"
    r"(?:originally|first|initially)\s+(?:published|posted|appeared|ran|printed|aired)\s+"
    r"(?:at|on|in|by|with|as\s+part\s+of)\s*:?\s*(?P<o>.+)$",
    re.I,
)
_REPUBLISHED = re.compile(
    r"^\W*(?:(?:this|the)\s+(?:article|story|post|piece|report|op-?ed|commentary|essay)\s+(?:is|was|has\s+been)\s+)?"
    r"(?:re-?published|re-?printed|re-?posted|cross-?posted|reproduced|syndicated)\s*"
    r"(?:(?:with|by)\s+(?:(?:the\s+)?(?:kind\s+)?permission)(?:\s+(?:from|of|by)\s+(?P<o>.+))?|"
    r"(?:here\s+)?(?:from|courtesy\s+of|via|by\s+arrangement\s+with)\s+(?P<o2>.+)|(?P<bare>\W*)$)",
    re.I,
)
_FIRST_APPEARED = re.compile(
    r"^\W*(?:this|the)\s+(?:article|story|post|piece|report|op-?ed|commentary)\s+(?:first|originally)\s+"
    r"appeared\s+(?:at|on|in)\s+(?P<o>.+)$",
    re.I,
)
_SOURCE = re.compile(
    r"^\W*(?:sources?|источник|источники|quelle|fuente|fonte|المصدر|来源|來源|资料来源|消息来源|出处|出處|文章来源|"
    r"稿件来源|新闻来源|信息来源)\s*[:：]\s*(?P<o>.+)$"
    r"|^\W*(?:本文|文章|此文)来自(?:于)?(?P<o2>[^，。,]{2,50}?)\W*$"  # "本文来自参考消息"
    r"|^\W*по\s+материалам\s+(?P<o3>[^,.;:!?]{2,60}?)\s*\.?$",  # "— по материалам ТАСС", a line of its own
    re.I,
)
# "本文来自网络": from "the internet", no outlet
_ZH_NOT_A_SOURCE = {"网络", "互联网", "网上", "网友", "本站", "本网", "网友投稿", "投稿", "读者投稿", "转载", "原创",
                    "本站原创", "本网原创", "微信公众号", "公众号", "作者", "网络转载", "综合", "网络综合", "本报综合",
                    "网友爆料", "读者来稿", "来稿", "爆料", "本报讯", "本报"}
# "微信公众号：新京报（ID：bjnews_xjb）", "综合自新华社": the account's or the outlet's name
_WECHAT = re.compile(r"^(?:(?:微信公众号|公众号|微信号)\s*[：:]?\s*|综合自)[“\"「『]?(.+?)[”\"」』]?"
                     r"(?:\s*[（(]\s*(?:ID|id|微信号)\s*[：:][^）)]*[）)]?)?$")
# "по материалам СМИ", "...соцсетей", "...Telegram-каналов": media in general, no outlet
_RU_NOT_A_SOURCE = re.compile(r"^(?:(?:местных|зарубежных|западных|российских|иностранных|открытых|различных)\s+)?"
                              r"(?:сми|соцсетей|социальных\s+сетей|источников|агентств|информагентств|"
                              r"[\w-]*-?каналов|интернета|сети|редакции)$", re.I)
# a Russian outlet's kind before its quoted name: "по материалам газеты «Ведомости»"
_RU_KIND_QUOTED = re.compile(r"^(?:газет[аыу]|агентств[аоу]|издани[яею]|сайт[ау]?|портал[ау]?|телеканал[ау]?|"
                             r"журнал[ау]?|радиостанци[ияю])\s+«(?P<o>[^»]+)»$", re.I)
_FIRST_REPORTED = re.compile(
    r"^\W*(?:(?:the|this)\s+(?:story|news|report)\s+was\s+|it\s+was\s+|as\s+)?first\s+reported\s+by\s+(?P<o>.+)$"
    r"|^\W*об\s+этом\s+(?:первым\s+|первой\s+|ранее\s+)?(?:сообщило|сообщил|сообщила|сообщает|пишет)\s+"
    r"(?:издание\s+|агентство\s+|газета\s+|сайт\s+|портал\s+|телеканал\s+)?(?P<o2>.+)$"
    r"|^\W*(?:此事|该消息|这一消息)?(?:最早|最先|首先)由(?P<o3>.+?)(?:报道|披露|发布)\W*$",
    re.I,
)
# Russian and Chinese credit lines as republishers write them
_ORIGINAL_SOURCE_INTL = re.compile(
    r"^\W*(?:первоисточник|первоисточник\s+(?:статьи|материала|публикации)|оригинал\s+(?:статьи|материала|"
    r"публикации)|оригинал)\s*(?:[:：—–-]|—)\s*(?P<o>.+)$"
    r"|^\W*(?:本文|文章)?(?:原始来源|原文来源|原文出处|原文链接|原文)(?:为|是|[:：])\s*(?P<o2>.+?)\W*$",
    re.I,
)
_ORIGINALLY_INTL = re.compile(
    r"^\W*(?:(?:материал|статья|публикация|текст)\s+)?(?:впервые|первоначально|изначально)\s+"
    r"(?:был[аои]?\s+)?(?:опубликован[аоы]?|вышл[аои]|вышел|появил(?:ся|ась|ось))\s+"
    r"(?:на\s+сайте\s+|на\s+портале\s+|в\s+издании\s+|в\s+газете\s+|на\s+|в\s+|во\s+)?(?P<o>.+)$"
    r"|^\W*(?:本文|此文|该文)?(?:最初|最早|首发|原载|原发)(?:发表|刊登|刊载|发布)?(?:于|在|自)?(?P<o2>.+?)\W*$",
    re.I,
)
_REPUBLISHED_INTL = re.compile(
    r"^\W*(?:перепечатано|опубликовано|публикуется)\s+с\s+(?:любезного\s+)?разрешения\s*(?P<o>.*)$"
    r"|^\W*(?:本文)?经(?P<o2>.+?)授权(?:转载|发布|刊登)\W*$|^\W*(?:本文)?(?:转载自|转自|转载于)(?P<o3>.+?)\W*$",
    re.I,
)
_VIA_INTL = re.compile(r"^\W*(?:через|经由)\s*(?P<o>.+)$", re.I)
_VIA = re.compile(r"^\W*(?:via|h/t|hat\s+tip(?:\s+to)?)\s*:?\s+(?P<o>.+)$|\((?:via|h/t)\s+(?P<o2>[^)]+)\)\W*$", re.I)
_ARTICLE_BY_FROM = re.compile(
    r"^\W*(?:article|story|post|essay|text|report)\s+by\s+(?P<a>.+?),?\s+(?:from|at|for|published\s+(?:by|in|on))"
    r"\s+(?P<o>.+)$",
    re.I,
)
_BYLINE = re.compile(
    r"^\W*[Bb][Yy]\s+(?P<a>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|van|von|de|la|al|bin))*?)"
    r"\s*(?:,|\||\s[-–—]\s|\s+(?:of|for|at)\s+)\s*(?P<o>.+)$"
)
# "(Reuters) -", "WASHINGTON (AP) —", "LONDON, March 3 (Reuters) -", "Москва, 3 марта (ТАСС) —": the place is
# in capitals or followed by a comma and a date, so "The Ministry of Defence (MoD) – which..." is no dateline
_DATELINE_PAREN = re.compile(
    r"^\W{0,3}(?:[A-ZÀ-ÝА-ЯЁ][A-ZÀ-ÝА-ЯЁ.'’/ -]{1,40}?(?:,\s*[^()\n]{1,25}?)?\s*"
    r"|[A-ZÀ-ÝА-ЯЁ][\w.'’ -]{1,30},\s+[^()\n]{1,25}?\s*)?"
    r"\((?P<o>[^\W\d_][\w.&/ -]{0,30}?)\)\s*[-–—:]+\s"
)
_ZH_CITIES = (
    "北京|上海|广州|深圳|香港|澳门|台北|南京|武汉|天津|重庆|成都|杭州|西安|沈阳|哈尔滨|长沙|郑州|济南|青岛|厦门|福州|昆明|"
    "乌鲁木齐|拉萨|莫斯科|华盛顿|纽约|伦敦|巴黎|柏林|东京|首尔|日内瓦|布鲁塞尔|联合国|新德里|伊斯兰堡|喀布尔|德黑兰|开罗"
)
_DATELINE_ZH = re.compile(
    rf"^\W{{0,3}}(?P<o>[\u4e00-\u9fffA-Za-z]{{2,14}}?)(?:驻[\u4e00-\u9fff]{{2,6}}记者[\u4e00-\u9fff]{{2,4}})?"
    rf"(?:{_ZH_CITIES})\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*(?:电|讯)"
)
# Urdu and Arabic datelines: "ڈھاکہ ۔ یکم دسمبر (اے پی پی)", "میر پور(وقت نیوز)", "القاهرة (رويترز) -". The script
# has no capitals to tell a place from prose, so the place is a few words (with an optional date) and the bracket
# closes within the line's first 70 characters; desk and reporter parts ("سپورٹس ڈیسک/اے ایف پی") are dropped
# (every class holds the space, and nothing else may: a run of spaces must not be split two ways)
_DATELINE_ARABIC = re.compile(
    r"^\W{0,3}(?P<place>[\u0600-\u06ff][\u0600-\u06ff\d ]{0,25}?(?:[۔،,.-][\u0600-\u06ff\d ]{1,25}?)?)"
    r"\((?P<o>[\u0600-\u06ff][\u0600-\u06ff /،,]{1,40}?)\)(?P<after>[ ]?[-–—ـ:]?[ ]?\S*)"
)
_ROLE_WORDS_ARABIC = re.compile(
    r"ڈیسک|ڈسک|رپورٹر|رپورٹ|پورٹر|نمائند|نامہ\s*نگار|خبر\s*نگار|مانیٹرنگ|ایجنسی|ادارے|خصوصی|اسٹاف|سٹاف|"
    r"مراسل|مندوب|وكالات|^(?:آج|کل|رض|ع|ص|صلی)\b"
)
# Urdu letters Arabic lacks: a line holding them is Urdu
_URDU_ONLY = re.compile(r"[ٹڈڑںھہےگچپژ]")
# a word that, right after the bracket, shows it is part of the sentence ("(پی ٹی آئی) کے چیئرمین", "(نیب) نے"):
# a dateline's bracket is followed by the report's first words
_URDU_PARTICLES = {"کے", "کی", "کا", "نے", "کو", "سے", "میں", "پر", "تک", "اور", "بھی", "ہے", "ہیں", "نہیں", "کہ",
                   "جو", "والے", "والی", "کیلئے", "کےلیے",
                   # ...or a title after a party's name ("پاکستان تحریک انصاف (پی ٹی آئی) چیئرمین عمران خان")
                   "چیئرمین", "رہنما", "رہنماؤں", "سربراہ", "صدر", "ترجمان", "کارکن", "کارکنوں", "قائد", "قیادت",
                   "امیدوار", "سیکرٹری", "جنرل", "رکن", "ارکان"}
# an Arabic sentence's verb or an institution before the bracket: "قال الرئيس (محمود عباس) -", "وزارة الصحة (غزة)"
_ARABIC_NOT_PLACE = {"قال", "قالت", "أعلن", "أعلنت", "أكد", "أكدت", "ذكر", "ذكرت", "أشار", "أشارت", "أفاد", "أفادت",
                     "صرح", "صرحت", "وزارة", "وزير", "رئيس", "الرئيس", "حركة", "منظمة", "هيئة", "مجلس", "حزب",
                     "جماعة", "شركة", "جامعة"}
_DATELINE_SLASH = re.compile(
    r"^\W{0,3}[A-ZÀ-ÝА-Я][\w .'’-]{1,40},\s+(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)\.?\s*/\s*"
    r"(?P<o>[A-Z][\w -]{0,25}?)\s*/"
)
_AGENCIES = (
    "Reuters|AP|AFP|TASS|ITAR-TASS|RIA Novosti|RIA|Sputnik|Interfax|Xinhua|UPI|Bloomberg|dpa|DPA|EFE|ANSA|IANS|PTI|"
    "APP|Kyodo|Yonhap|Anadolu|IRNA|ANI|Bernama|Antara|CNA|PA|AAP|Tass"
)
_DATELINE_TAIL = re.compile(rf"(?:^|\s)[-–—]\s*(?P<o>{_AGENCIES})\s*\.?\s*$")
_READ_MORE = re.compile(
    r"^\W*(?:read\s+(?:more|the\s+full\s+(?:story|article|report))|continue\s+reading|full\s+(?:story|article))"
    r"\s+(?:at|on|in)\s*:?\s*(?P<o>.+)$|^\W*(?P<link>source\s+link|original\s+link|source\s+article)\W*$",
    re.I,
)
_SIGNATURE = re.compile(r"^\s*[-–—]+\s*(?P<o>[^\W\d_][^\n]{1,60}?)\s*\.?\s*$")  # a line that is only "— Outlet"
_COPYRIGHT = re.compile(r"^\W*(?:copyright\b|©|\(c\)|&copy;|版权所有|版權所有)\s*(?P<rest>.*)$", re.I)


def _strip_markdown_links(line: str, found: list[tuple[str, str]]) -> str:
    """Replace "[anchor](url)" by the anchor, remembering (anchor, url) for real URLs."""

    def repl(m: re.Match[str]) -> str:
        anchor, href = m.group(1), m.group(2)
        if href and not href.startswith("#"):
            found.append((anchor, href))
        return anchor

    return _MD_LINK.sub(repl, line)


def _first_group(m: re.Match[str]) -> str | None:
    """The first named group that matched (patterns offer one group per phrasing)."""
    return next((v for k, v in m.groupdict().items() if v and k.startswith("o")), None)


def _clean_outlet(raw: str) -> str:
    """Cut a credited name out of the rest of its line: dates, licence terms, trailing sentences."""
    s = raw.strip().strip("\"'“”‘’«»*_ ")
    for cut in _CUTS:
        s = cut.sub("", s)
    corporate = re.search(r",\s*(?:Inc|Ltd|LLC|Corp|Co|plc)\.$", s.strip())
    s = s.strip().rstrip(".,;:!-–— 。，；：！、") + ("." if corporate else "").strip("\"'“”‘’«»*_ 「」《》")
    if s.count(")") > s.count("("):
        s = s.rstrip(") ")
    while s.endswith("）") and s.count("）") > s.count("（"):  # one unmatched closing bracket at a time
        s = s[:-1].rstrip()
    while s.startswith("（") and s.count("（") > s.count("）"):
        s = s[1:].lstrip()
    if s.startswith("（") and s.endswith("）"):  # "来源：（南方时报）"
        s = s[1:-1].strip()
    if s.count("(") > s.count(")"):
        s = s.lstrip("( ")
    s = re.sub(r"^(?:the\s+website\s+|the\s+site\s+|website\s+)", "", s, flags=re.I)
    return s.strip()


def _looks_like_outlet(name: str) -> bool:
    """A name, a domain or a URL — not a clause ("the highway, then north")."""
    if not name or len(name) > 120:
        return False
    if _URL.search(name) or _BARE_DOMAIN.match(name):
        return True
    words = re.findall(r"[^\W_][\w'’.&-]*", name)
    if not words or len(words) > 12:
        return False
    content = [w for w in words if w.lower() not in _CONNECTORS]
    if not content:
        return False
    capital = sum(1 for w in content if _capitalish(w))
    return capital / len(content) >= 0.6 and (_capitalish(words[0]) or words[0].lower() in _CONNECTORS)


def _capitalish(word: str) -> bool:
    """Capitalised, a number, a domain, or in a script without case (Chinese, Arabic)."""
    first = word[0]
    return first.isupper() or first.isdigit() or "." in word or not first.islower()


def _is_outletish(name: str, links: dict[str, str]) -> bool:
    """Whether the second part of a byline is an outlet rather than a role ("Staff Writer")."""
    if _ROLE_WORDS.search(name) or _ROLE_WORDS_RU.search(name):
        return False
    if name.lower() in links or _URL.search(name) or _BARE_DOMAIN.match(name):
        return True
    if _OUTLET_WORDS.search(name):
        return True
    if _OUTLET_WORDS_RU.search(name):
        return len(name.split()) > 1 or name.strip(" .").lower() in _RU_OUTLETS_ALONE
    letters = re.sub(r"\W", "", name)
    return 2 <= len(letters) <= 8 and letters.isupper()


def _arabic_outlet(m: re.Match[str], line: str) -> str | None:
    """The agency in an Urdu or Arabic dateline's bracket ("ڈھاکہ ۔ یکم دسمبر (اے پی پی)", "القاهرة (رويترز) -"):
    the last part that is not a desk or a reporter ("سپورٹس ڈیسک/اے ایف پی" -> "اے ایف پی"; "نمائندہ خصوصی", a
    special correspondent, names no outlet). The script has no capitals to tell a place from a sentence's subject,
    so the place is at most three words (and a date), an Arabic dateline has its dash, and in Urdu the word after
    the bracket must not be a postposition ("وزیر اعظم (شہباز شریف) نے" is a sentence)."""
    place = re.split(r"[۔،,.-]", m.group("place"), maxsplit=1)[0].split()
    after = m.group("after").strip(" -–—ـ:")
    if len(place) > 3 or (place and place[0] in _ARABIC_NOT_PLACE):
        return None
    if _URDU_ONLY.search(line[:120]):
        if after in _URDU_PARTICLES:
            return None
    elif not (re.match(r"[ ]?[-–—ـ:]", m.group("after")) or not after or len(place) <= 2):
        return None  # Arabic: a dash or colon after the bracket, the line's end, or a place of one or two words
    parts = [p.strip() for p in re.split(r"[/،,]", m.group("o")) if p.strip()]
    names = [p for p in parts if not _ROLE_WORDS_ARABIC.search(p) and len(p.split()) <= 4]
    return names[-1] if names else None


def _signed_outlet(name: str, links: dict[str, str], closed: bool = False) -> str | None:
    """The outlet of a sign-off line ("— The Morning Courier", "— Российская газета"), or None: a person's name, a
    role, a reply in dialogue ("— Правда?"). "— Сергей Иванов, РИА Новости" signs the writer and the outlet: the
    outlet is the part after the comma."""
    if name.endswith(("?", "!", "…")) or ":" in name:
        return None
    head, _, tail = name.rpartition(",")
    if head and tail.strip() and (found := _signed_outlet(tail.strip(), links)):  # "— Name, Outlet." is signed
        return found
    if len(name.split()) > 6:
        return None
    if _looks_like_outlet(name) and _is_outletish(name, links):
        return name
    # Russian titles are in sentence case: "Российская газета", "Новая газета", "Московские новости" — an adjective,
    # then the kind of outlet, and no full stop (a line of dialogue has one: "— Плохие новости.", "— Это правда.")
    words = name.split()
    if 2 <= len(words) <= 3 and not closed and re.fullmatch(r"[А-ЯЁ][а-яё-]+(?:ая|яя|ый|ий|ой|ое|ее|ые|ие)", words[0]) \
            and words[0].lower() not in _RU_NOT_TITLE and _RU_TITLE_NOUNS.fullmatch(words[-1]) \
            and all(re.fullmatch(r"[А-ЯЁа-яё-]+", w) for w in words):
        return name
    return None


_RU_TITLE_NOUNS = re.compile(r"газета|правда|вести|новости|известия|ведомости|курьер|вестник", re.I)
# adjectives that say what news or truth is like, not whose ("— Плохие новости", "— Горькая правда")
_RU_NOT_TITLE = {
    "плохие", "хорошие", "последние", "главные", "свежие", "важные", "такие", "какие", "другие", "всякие",
    "грустные", "радостные", "срочные", "горячие", "отличные", "интересные", "старые", "добрые", "странные",
    "плохая", "хорошая", "последняя", "главная", "важная", "такая", "какая", "другая", "горькая", "чистая",
    "сущая", "настоящая", "истинная", "голая", "простая", "страшная", "грустная", "печальная", "полная", "своя",
    "вся", "любая", "каждая", "очередная", "обычная", "свежая", "старая"}


# papers whose Chinese name is two characters: most two-character words ending in 报 are kinds of report
# ("喜报", "通报", "据报"), so only these count
_ZH_TWO_CHAR_PAPERS = {"卫报", "明报", "镜报", "星报", "晶报", "申报"}


def _zh_outlet(name: str) -> bool:
    """A Chinese outlet's name: three characters or more with an outlet's ending, or a known two-character paper
    ("卫报"), not a section label."""
    if len(name) == 2:
        return name in _ZH_TWO_CHAR_PAPERS
    return len(name) >= 3 and name.endswith(_ZH_SUFFIXES) and not _ZH_NOT_OUTLET.search(name)


def _social(domain: str, href: str) -> bool:
    """Share buttons and social profiles are not credits (matched by domain, label or share-URL shape)."""
    return (domain in SOCIAL_DOMAINS or domain.split(".")[0] in _SOCIAL_LABELS or bool(_SHARE_PATH.search(href))
            or href.lower().startswith(("mailto:", "tel:")))


class _Collector:
    """Builds statements, resolving names to URLs through the body's links, skipping the page's own site."""

    def __init__(self, links: list[tuple[str, str]], page_url: str | None, site_name: str | None = None) -> None:
        self.links = links
        self.by_anchor = {" ".join(a.split()).lower(): h for a, h in links if a and h}
        self.own = site_of(page_url) if page_url else ""
        self.own_name = site_name
        self.out: list[AttributionStatement] = []
        self.seen: set[tuple[str, str, str]] = set()

    def _url_for(self, outlet: str, line: str) -> str | None:
        key = " ".join(outlet.split()).lower()
        if key in self.by_anchor:
            return self.by_anchor[key]
        m = _URL.search(outlet) or _URL.search(line)
        if m:
            u = m.group(0).rstrip(".,;:")
            return u if u.lower().startswith("http") else "http://" + u
        if _BARE_DOMAIN.match(outlet):
            return "http://" + outlet.lower()
        return None

    def own_site(self, outlet: str | None, domain: str | None) -> bool:
        if domain:
            return domain == self.own
        if not outlet or not (self.own or self.own_name):
            return False
        return name_matches_site(outlet, self.own, self.own_name)

    def add(self, kind: str, line: str, outlet: str | None, url: str | None = None) -> None:
        outlet = _clean_outlet(outlet) if outlet else None
        if outlet is not None and not outlet:
            outlet = None
        if url is None and outlet:
            url = self._url_for(outlet, line)
        domain = site_of(url) if url else None
        if domain in ("", "local"):
            domain = None
        if domain and outlet and outlet.lower().startswith(("http://", "https://")):
            outlet = domain  # "Originally published at https://x.com/a" names the outlet x.com
        if self.own_site(outlet, domain):
            return
        key = (kind, (outlet or "").lower(), url or "")
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.append(AttributionStatement(kind=kind, text=line.strip(), outlet=outlet, url=url, domain=domain))


def _lines(paragraphs: Iterable[str]) -> Iterable[str]:
    for p in paragraphs:
        for line in p.split("\n"):
            line = " ".join(line.split())
            if line:
                yield line


def _match_line(line: str, col: _Collector) -> None:
    """Try every credit phrasing on one line (a paragraph or a line of one)."""
    if _MEDIA_CREDIT.match(line):
        return  # photo, image and video credits say where a picture came from, not the article
    # datelines open long paragraphs, so they are tried before the length limit
    m = _DATELINE_PAREN.match(line) or _DATELINE_SLASH.match(line)
    if not (m and _looks_like_outlet(m.group("o")) and len(m.group("o").split()) <= 4):
        m = _DATELINE_ZH.match(line)
    if m:
        col.add("dateline", line[: m.end()].strip(), m.group("o"))
    elif (m := _DATELINE_ARABIC.match(line)) and (name := _arabic_outlet(m, line)):
        col.add("dateline", line[: m.end("o") + 1].strip(), name)
    if len(line) > _MAX_LINE:
        return
    m = _DATELINE_TAIL.search(line)
    if m:
        col.add("dateline", line, m.group("o"))
    elif (m := _SIGNATURE.match(line)) and (name := _signed_outlet(m.group("o"), col.by_anchor,
                                                                     line.rstrip().endswith("."))):
        col.add("dateline", line, name)  # "— The Morning Courier": a person's name is not an outlet
    elif (m := _SIGNATURE_ZH.match(line)) and _zh_outlet(m.group("o")):
        col.add("dateline", line, m.group("o"))  # "（新华社）"; not "（记者 张三）" or "（完）"
    if m := (_ORIGINAL_SOURCE.match(line) or _ORIGINAL_SOURCE_INTL.match(line)):
        col.add("original-source", line, _first_group(m))
        return
    if m := (_ORIGINALLY.match(line) or _FIRST_APPEARED.match(line) or _ORIGINALLY_INTL.match(line)):
        name = _clean_outlet(_first_group(m) or "")
        if _looks_like_outlet(name):
            col.add("originally-published", line, name)
        return
    if m := (_REPUBLISHED.match(line) or _REPUBLISHED_INTL.match(line)):
        name = _first_group(m)
        if not name or _looks_like_outlet(_clean_outlet(name)):
            col.add("republished", line, name or None)
        return
    if m := _READ_MORE.match(line):
        if m.group("link"):  # "Source link": the credit is the link itself
            href = col.by_anchor.get(line.lower().strip(" .:"))
            if href:
                col.add("source", line, site_of(href) or None, url=href)
            return
        name = _clean_outlet(m.group("o"))
        if _looks_like_outlet(name):
            col.add("source", line, name)
        return
    if m := _FIRST_REPORTED.match(line):
        name = _clean_outlet(_first_group(m) or "")
        if _looks_like_outlet(name):
            col.add("source", line, name)
        return
    if m := _COPYRIGHT.match(line):
        _copyright(line, m.group("rest"), col)
        return
    if m := _SOURCE.match(line):
        raw = _first_group(m) or ""
        if q := _RU_KIND_QUOTED.match(raw.strip()):
            raw = q.group("o")
        name = _clean_outlet(raw)
        name = _WECHAT.sub(r"\1", name)  # "本文来自微信公众号“新京报”": the account's name
        if name in _ZH_NOT_A_SOURCE or _RU_NOT_A_SOURCE.match(name):
            return
        if len(line) <= 200 and _looks_like_outlet(name):
            col.add("source", line, name)
        return
    if m := (_VIA.search(line) or _VIA_INTL.match(line)):
        name = _clean_outlet(_first_group(m) or "")
        if len(line) <= 160 and _looks_like_outlet(name) and len(name.split()) <= 8:
            col.add("via", line, name)
        return
    if m := _ARTICLE_BY_FROM.match(line):
        name = _clean_outlet(m.group("o"))
        if _looks_like_outlet(name):
            col.add("byline", line, name)
        return
    if (m := _BYLINE.match(line)) and len(line) <= 200:
        name = _clean_outlet(m.group("o"))
        if _looks_like_outlet(name) and _is_outletish(name, col.by_anchor):
            col.add("byline", line, name)


_CORPORATE = re.compile(r"(?:inc|ltd|llc|llp|plc|gmbh|ag|corp|co|s\.?a|b\.?v|pty|limited)\.?", re.I)


def _copyright(line: str, rest: str, col: _Collector) -> None:
    """"Copyright © Author, Outlet, 2021" / "(c) 2021 Outlet. All rights reserved." -> the outlet named last."""
    rest = re.sub(r"(?:\ball\s+rights\s+reserved\b|все\s+права\s+защищены|保留所有权利).*$", "", rest, flags=re.I)
    rest = re.sub(r"^(?:©|\(c\)|&copy;|\s)+", "", rest, flags=re.I)
    rest = re.sub(r"\s+(?:\d{4}(?:\s*[-–]\s*\d{4})?)\W*$", "", rest)  # "长江资讯 2024"
    parts = [p.strip(" .") for p in re.split(r",|\s[-–—|]\s", rest)]
    parts = [re.sub(r"^(?:\d{4}(?:\s*[-–]\s*\d{4})?)\s*|\s+\d{4}(?:\s*[-–]\s*\d{4})?$", "", p).strip() for p in parts]
    parts = [p for p in parts if p and not re.fullmatch(r"\d{4}(?:\s*[-–]\s*\d{4})?", p)
             and not re.match(r"(?:ISSN|ISBN|EIN|ABN|VAT|Reg(?:istration)?\.?\s*(?:No|number))\b", p, re.I)]
    # "Dow Jones & Company, Inc." is one name
    for i in range(len(parts) - 1, 0, -1):
        if _CORPORATE.fullmatch(parts[i]):
            parts[i - 1 : i + 1] = [f"{parts[i - 1]}, {parts[i]}."]
    if not parts:
        return
    for name in reversed(parts):
        name = _clean_outlet(name)
        if _looks_like_outlet(name):
            col.add("copyright", line, name)
            return


def detect_statements(
    paragraphs: list[str],
    links: list[tuple[str, str]] | None = None,
    page_url: str | None = None,
    site_name: str | None = None,
) -> list[AttributionStatement]:
    """Find what a page says about its own origin, in reading order.

    `paragraphs` are the article body's paragraphs (credit lines are part of the body); `links` are
    (anchor text, href) pairs found in the body: a link to another registered domain is a credit-link
    (share buttons and social profiles are not). "[anchor](url)" markdown in a paragraph counts as a link.
    Statements naming the page's own site (its domain from `page_url`, or its `site_name`) are dropped.
    """
    md_links: list[tuple[str, str]] = []
    lines = [_strip_markdown_links(line, md_links) for line in _lines(paragraphs)]
    all_links = list(links or []) + md_links
    col = _Collector(all_links, page_url, site_name)
    for line in lines:
        try:
            _match_line(line, col)
        except re.error:  # a pathological line never stops extraction
            continue
    _credit_links(all_links, lines, col)
    return col.out


def _credit_links(links: list[tuple[str, str]], lines: list[str], col: _Collector) -> None:
    """A link out of the body to another registered domain names that domain as a source."""
    seen: set[str] = set()
    for anchor, href in links:
        href = (href or "").strip()
        if not href.lower().startswith(("http://", "https://", "//")):
            continue
        if href.startswith("//"):
            href = "https:" + href
        domain = site_of(href)
        if not domain or domain == "local" or domain == col.own or _social(domain, href) or href in seen:
            continue
        seen.add(href)
        anchor = " ".join((anchor or "").split())
        text = next((ln for ln in lines if anchor and anchor in ln), anchor or href)
        if len(text) > _MAX_LINE:
            text = anchor or href
        col.add("credit-link", text, anchor or domain, url=href)
