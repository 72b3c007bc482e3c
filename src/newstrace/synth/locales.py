"""Hand-written phrase tables per language: roles, cue verbs, sourcing phrases, credit lines, site names.

Every phrase here is a template written for newstrace; no sentence comes from a real article. Words for
running text come from Faker's lorem lists (see `words.py`). Keys are ISO 639-1 codes.
"""

from __future__ import annotations

from typing import Any


def _w(text: str) -> list[str]:
    return text.split()


# Each role: (female form, male form, title noun used for a later reference "the diplomat emphasized").
# "{org}" and "{city}" are filled from the tables below.
_EN: dict[str, Any] = {
    "function": _w("the the the of of and and to to in in a a that for on with as by at from was is were has have "
                   "will would not this its their it be been"),
    "cities": ["MOSCOW", "KYIV", "BEIJING", "LONDON", "WASHINGTON", "BRUSSELS", "GENEVA", "ANKARA", "CAIRO",
               "NEW DELHI", "TOKYO", "BERLIN", "PARIS", "WARSAW", "TBILISI", "MINSK", "RIGA", "VIENNA"],
    "orgs": ["Foreign Ministry", "Ministry of Energy", "Northbridge Institute", "Council on Regional Security",
             "Harbor Policy Centre", "National Statistics Office", "Eastgate Foundation", "Ministry of Defence",
             "Central Election Commission", "Institute for Strategic Affairs", "Port Authority", "Health Ministry"],
    "roles": [("Foreign Ministry spokeswoman", "Foreign Ministry spokesman", "the diplomat"),
              ("director of the {org}", "director of the {org}", "the director"),
              ("the country's defence minister", "the country's defence minister", "the minister"),
              ("a senior analyst at the {org}", "a senior analyst at the {org}", "the analyst"),
              ("mayor of {city}", "mayor of {city}", "the mayor"),
              ("head of the {org}", "head of the {org}", "the official"),
              ("deputy prime minister", "deputy prime minister", "the deputy prime minister"),
              ("an economist at the {org}", "an economist at the {org}", "the economist"),
              ("a spokeswoman for the {org}", "a spokesman for the {org}", "the spokesperson")],
    "cues": ["said", "stressed", "explained", "emphasised", "emphasized", "warned", "claimed", "noted", "added",
             "insisted", "argued", "declared", "admitted"],
    "pronouns": ("she", "he"),
    "anonymous": [("according to", "local sources"), ("said", "officials"),
                  ("said", "a source familiar with the matter"), ("told", "sources close to the government"),
                  ("said", "a senior official who asked not to be named"), ("according to", "diplomatic sources"),
                  ("said", "witnesses")],
    "documents": ["the report", "the ministry's statement", "the leaked memo", "the court filing",
                  "the draft resolution", "the joint communique"],
    "social": [("wrote on Telegram", "Telegram"), ("posted on X", "X"), ("said in a Facebook post", "Facebook"),
               ("wrote on VKontakte", "VKontakte"), ("said in a video on YouTube", "YouTube")],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"],
    "loud": ["BREAKING: {t}", "{t}!", "SHOCK: {t}", "Watch: {t}", "{t} — report", "Is {t}?",
             "EXCLUSIVE: {t}", "{T}"],
    "credit": {
        "original-source": "The original source of this article is {x}",
        "originally-published": "This article was originally published at {x}.",
        "source": "Source: {x}",
        "via": "via {x}",
        "link": "The story was first reported by {x}.",
        "republished": "Republished with permission from {x}.",
        "copyright": "Copyright © {x}, {year}",
    },
    "dateline": "{city}, {month} {day} ({x}) —",
    "signoff": "— {x}",
    "intro": ["Here is what we know so far.", "Our readers have been asking about this story.",
              "This is a developing story.", "Editor's note: the report below has been shared widely."],
    "boiler": ["All {name} articles can be read in {n} languages by using the “Translate” menu at the top of "
               "our home page.",
               "Visit and follow us on Instagram at @{handle}.",
               "Disclaimer: the contents of this article are the sole responsibility of the author(s). {name} "
               "is not responsible for any inaccurate or incorrect statement in this article.",
               "{domain} contains copyrighted material the use of which has not always been authorized by the "
               "copyright owner. We make such material available under the provisions of “fair use”.",
               "Subscribe to the {name} newsletter to get our top stories every morning.",
               "Support independent journalism: become a member of {name} today.",
               "Comment on {name} articles on our Facebook page.",
               "For media inquiries: press@{domain}",
               "Copyright © {name}. All rights reserved."],
    "nav": ["World", "Politics", "Business", "Tech", "Opinion", "Sport"],
    "ui": {"share": "Share", "related": "Related", "by": "By", "cookie": "We use cookies to improve your experience.",
           "accept": "Accept", "newsletter": "Get the morning briefing", "subscribe": "Subscribe"},
    "sites": {
        "wire": (["Wire", "Global", "Continental", "Meridian", "Atlas", "Union", "Pacific", "Northern", "Capital"],
                 ["One", "Wire", "Press", "News Agency", "Press Agency", "Newswire"]),
        "state": (["Norland", "Estavia", "Carpathia", "Belmark", "Zantoria", "Oranda", "Velmora"],
                  ["Today", "State Broadcaster", "News Service", "International", "Radio"]),
        "newspaper": (["Daily", "Morning", "Evening", "Sunday", "Harbor", "Valley", "Metro", "City", "National"],
                      ["Planet", "Ledger", "Courier", "Gazette", "Herald", "Chronicle", "Tribune", "Post", "Times",
                       "Observer", "Sentinel", "Journal", "Dispatch"]),
        "aggregator": (["Headline", "News", "Story", "World", "Top", "Global", "Instant", "Breaking"],
                       ["Hub", "Stream", "Digest", "Feed", "Roundup", "Radar", "Pulse", "Now"]),
        "proxy": (["Truth", "Free", "Real", "Independent", "Alternative", "Open", "Liberty", "Awake", "Critical"],
                  ["Press", "Report", "Network", "Monitor", "Insider", "Review", "Voice", "Research"]),
        "blog": (["Anti-Bellum", "Frontline", "Policy", "Quiet", "Red Line", "Long View", "Watchtower", "Signal"],
                 ["Journal", "Notes", "Notebook", "Blog", "Diary", "Letters", "Dispatches", "Commentary"]),
    },
}

_RU: dict[str, Any] = {
    "function": _w("и и в в не на на что с по это как из к у за о от для то"),
    "cities": ["МОСКВА", "САНКТ-ПЕТЕРБУРГ", "КАЗАНЬ", "МИНСК", "НОВОСИБИРСК", "ЕКАТЕРИНБУРГ", "КАЛИНИНГРАД"],
    "orgs": ["МИД", "Министерства энергетики", "Института стратегических исследований", "Совета безопасности",
             "Центральной избирательной комиссии", "Министерства обороны", "Торговой палаты"],
    "roles": [("официальный представитель МИД", "официальный представитель МИД", "дипломат"),
              ("директор {org}", "директор {org}", "директор"),
              ("министр обороны", "министр обороны", "министр"),
              ("аналитик {org}", "аналитик {org}", "эксперт"),
              ("мэр города {city}", "мэр города {city}", "мэр"),
              ("глава {org}", "глава {org}", "чиновник")],
    # (female, male) cue forms; the truth cue is the form that appears
    "cues": [("заявила", "заявил"), ("подчеркнула", "подчеркнул"), ("пояснила", "пояснил"),
             ("отметила", "отметил"), ("предупредила", "предупредил"), ("добавила", "добавил"),
             ("сообщила", "сообщил")],
    "pronouns": ("она", "он"),
    "anonymous": [("по данным", "местных источников"), ("сообщили", "в ведомстве"),
                  ("рассказал", "источник, знакомый с ситуацией"), ("сообщили", "официальные лица")],
    "documents": ["докладе", "заявлении министерства", "проекте резолюции", "судебном иске"],
    "social": [("написала в Telegram", "написал в Telegram", "Telegram"),
               ("сообщила во «ВКонтакте»", "сообщил во «ВКонтакте»", "VKontakte")],
    "months": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
               "октября", "ноября", "декабря"],
    "loud": ["СРОЧНО: {t}", "{t}!", "Сенсация: {t}", "{t} — подробности"],
    "credit": {
        "original-source": "Первоисточник статьи — {x}",
        "originally-published": "Материал впервые опубликован на сайте {x}.",
        "source": "Источник: {x}",
        "via": "через {x}",
        "link": "Об этом первым сообщило издание {x}.",
        "republished": "Перепечатано с разрешения {x}.",
        "copyright": "© {x}, {year}",
    },
    "dateline": "{city}, {day} {month} ({x}) —",
    "signoff": "— {x}",
    "intro": ["Вот что известно на данный момент.", "Публикуем материал, который активно обсуждают читатели."],
    "boiler": ["Все материалы {name} доступны на {n} языках через меню «Перевод» в верхней части сайта.",
               "Подписывайтесь на нас в Telegram: @{handle}.",
               "Мнение редакции может не совпадать с мнением автора. {name} не несёт ответственности за "
               "достоверность сведений в этой статье.",
               "При перепечатке материалов {domain} ссылка на источник обязательна.",
               "© {name}. Все права защищены."],
    "nav": ["В мире", "Политика", "Экономика", "Общество", "Спорт"],
    "ui": {"share": "Поделиться", "related": "Читайте также", "by": "Автор:",
           "cookie": "Мы используем файлы cookie.", "accept": "Принять", "newsletter": "Утренняя рассылка",
           "subscribe": "Подписаться"},
    "sites": [("Вести", "vesti"), ("Голос", "golos"), ("Время", "vremya"), ("Курьер", "kurier"), ("Эхо", "ekho"),
              ("Взгляд", "vzglyad"), ("Вестник", "vestnik"), ("Новости", "novosti")],
    "site_suffixes": [("Сегодня", "segodnya"), ("Дня", "dnya"), ("Столицы", "stolitsy"), ("Региона", "regiona"),
                      ("Онлайн", "online"), ("Севера", "severa"), ("Плюс", "plus"), ("России", "rossii")],
}

_ZH: dict[str, Any] = {
    "function": list("的的的了在是和有也就都而及与"),
    "cities": ["北京", "上海", "广州", "深圳", "香港", "南京", "武汉"],
    "orgs": ["外交部", "国家统计局", "能源部", "战略研究所", "商务部", "卫生部"],
    "roles": [("外交部发言人", "外交部发言人", "这位外交官"), ("{org}主任", "{org}主任", "这位主任"),
              ("{org}研究员", "{org}研究员", "这位专家"), ("{city}市长", "{city}市长", "这位市长")],
    "cues": ["表示", "强调", "指出", "警告", "解释说", "补充说"],
    "pronouns": ("她", "他"),
    "anonymous": [("据", "当地消息人士"), ("称", "知情人士"), ("表示", "官员")],
    "documents": ["报告", "声明", "文件"],
    "social": [("在微博上写道", "Weibo"), ("在Telegram上写道", "Telegram")],
    "loud": ["突发：{t}", "{t}！", "震惊：{t}", "重磅：{t}"],
    "credit": {
        "original-source": "本文原始来源为{x}",
        "originally-published": "本文最初发表于{x}。",
        "source": "来源：{x}",
        "via": "经由{x}",
        "link": "此事最早由{x}报道。",
        "republished": "经{x}授权转载。",
        "copyright": "版权所有 © {x} {year}",
    },
    "dateline": "{x}{city}{month}月{day}日电",
    "signoff": "（{x}）",
    "intro": ["以下是目前已知的情况。", "编者按：本文在网上广泛流传。"],
    "boiler": ["{name}所有文章均可通过网站顶部的“翻译”菜单以{n}种语言阅读。", "欢迎关注我们的微信公众号：{handle}。",
               "免责声明：本文内容由作者负责，{name}不对文中任何不准确的陈述负责。", "转载请注明出处：{domain}",
               "版权所有 © {name}。保留所有权利。"],
    "nav": ["国际", "时政", "财经", "科技", "体育"],
    "ui": {"share": "分享", "related": "相关阅读", "by": "作者：", "cookie": "本网站使用Cookie。", "accept": "接受",
           "newsletter": "每日简报", "subscribe": "订阅"},
    "sites": [("新华", "xinhua"), ("环球", "huanqiu"), ("东方", "dongfang"), ("南方", "nanfang"),
              ("北方", "beifang"), ("今日", "jinri"), ("华夏", "huaxia"), ("长江", "changjiang")],
    "site_suffixes": [("快讯", "kuaixun"), ("日报", "ribao"), ("新闻网", "xinwenwang"), ("时报", "shibao"),
                      ("观察", "guancha"), ("资讯", "zixun"), ("晨报", "chenbao"), ("通讯社", "tongxunshe")],
}

LOCALES: dict[str, dict[str, Any]] = {"en": _EN, "ru": _RU, "zh": _ZH}
SUPPORTED = tuple(LOCALES)
