"""Sites: registered domains offline, outlet names matched to domains."""

from __future__ import annotations

import pytest

from newstrace.sites import domain_label, name_matches_site, outlet_key, site_of, spelled_initials, transliterate


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.BBC.co.uk/news/world-123", "bbc.co.uk"),
        ("https://news.globalresearch.ca/x", "globalresearch.ca"),
        ("http://WWW.Reuters.com", "reuters.com"),
        ("tass.ru/politika/1", "tass.ru"),
        ("https://wire-one.example/2024/05/01/slug", "wire-one.example"),
        ("https://user:pw@sub.example.com.au:8443/a?b=c", "example.com.au"),
        ("http://127.0.0.1:8765/page.html", "127.0.0.1:8765"),
        ("http://localhost:5000/", "localhost:5000"),
        ("http://10.0.0.7/", "10.0.0.7"),
        ("file:///tmp/corpus/a.html", "local"),
        ("/home/me/pages/a.html", "local"),
        ("", ""),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


def test_site_of_never_fetches_the_suffix_list(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import newstrace.sites as sites

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(sites, "_EXTRACTOR", None)
    sites._registered.cache_clear()
    sites.site_of.cache_clear()
    assert site_of("https://www.example.co.jp/a") == "example.co.jp"


def test_domain_label() -> None:
    assert domain_label("globalresearch.ca") == "globalresearch"
    assert domain_label("bbc.co.uk") == "bbc"
    assert domain_label("wire-one.example") == "wire-one"


def test_outlet_key() -> None:
    assert outlet_key("ANTI-BELLUM A Journal Of NATO's Threat To World Peace") == (
        "antibellumajournalofnatosthreattoworldpeace"
    )
    assert outlet_key("www.Reuters.com") == "reuters"
    assert outlet_key("The Guardian") == "guardian"
    assert outlet_key("  ") == ""


@pytest.mark.parametrize(
    ("name", "domain", "site_name"),
    [
        ("Reuters", "reuters.com", None),
        ("Global Research", "globalresearch.ca", None),
        ("TASS", "tass.com", None),
        ("TASS", "tass.ru", None),
        ("ANTI-BELLUM A Journal Of NATO's Threat To World Peace", "antibellum.com", None),
        ("Anti-Bellum", "antibellum.com", None),
        ("Associated Press", "ap.org", None),
        ("The Moscow Times", "themoscowtimes.com", None),
        ("Wire One", "wire-one.example", None),
        ("Эхо Севера", "ekho-severa.example", None),
        ("Курьер России", "kurier-rossii-agency.example", None),
        ("今日新闻网", "jinri-xinwenwang-state.example", "今日新闻网"),
        ("Sputnik", "sputniknews.com", None),
        ("Centre for Research on Globalization", "globalresearch.ca", "Centre for Research on Globalization"),
        ("Al Jazeera English", "aljazeera.com", None),
        ("Reuters", "reutersagency.com", None),
        ("AP", "associated-press.example", "Associated Press"),  # initials against a whole name
        ("Associated Press", "wire.example", "AP"),
        # Urdu spells an agency's initials out: "اے پی پی" is APP, "این این آئی" NNI, "اے پی" AP
        ("اے پی پی", "app.com.pk", None),
        ("این این آئی", "nni.com.pk", None),
        ("اے پی پی", "agency.example", "APP"),
        ("اے پی", "associated-press.example", "Associated Press"),
    ],
)
def test_name_matches_site(name: str, domain: str, site_name: str | None) -> None:
    assert name_matches_site(name, domain, site_name)


@pytest.mark.parametrize(
    ("name", "domain", "site_name"),
    [
        ("Reuters", "globalresearch.ca", "Global Research"),
        ("RT", "art.com", None),
        ("TASS", "reuters.com", None),
        ("Global Research", "globaltimes.cn", None),
        ("", "reuters.com", None),
        ("Anti-Bellum", "bellum.org", None),
        ("Global Research", "global.com", None),
        ("Asia Times", "asia.com", None),
        ("Время Онлайн", "vesti-online-digest.example", "Вести Онлайн"),  # both "ВО": initials never match initials
        ("Взгляд Севера", "vremya-severa.example", "Время Севера"),
        ("Anti-Bellum Notes", "anti-bellum-dispatches.example", None),  # a lead word matches only whole
        ("اے ایف پی", "app.com.pk", None),  # AFP is not APP
        ("وقت نیوز", "app.com.pk", None),  # words that are not letters' names spell nothing
    ],
)
def test_name_does_not_match_other_sites(name: str, domain: str, site_name: str | None) -> None:
    assert not name_matches_site(name, domain, site_name)


def test_spelled_initials() -> None:
    assert spelled_initials("اے پی پی") == "app"
    assert spelled_initials("این این آئی") == "nni"
    assert spelled_initials("کے") == ""  # one letter's name is the word "of"
    assert spelled_initials("وقت نیوز") == ""


def test_transliterate() -> None:
    assert transliterate("Эхо Севера") == "ekho severa"
    assert transliterate("Курьер", soft_sign="i") == "kurier"
