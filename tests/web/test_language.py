"""Chinese whatever the browser: pages, Django's own strings and the admin in zh-hans for an English browser;
names, never ids, in what users see; full-width colons after labels; the product's Chinese name; open data
with Chinese CSV headers and a data dictionary."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jixiao.io.catalogue import load_framework, load_rules, shipped_ids
from jixiao.web.disclosure.views import OPEN_DATA
from jixiao.web.evaluations.choices import Status
from jixiao.web.organisations.models import Role
from tests.web.conftest import World

ROOT = Path(__file__).resolve().parents[2]
BRAND = "项目支出绩效自评系统"
#: what an English browser asks for
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
#: words of Django's, the admin's or a browser's English interface
ENGLISH_UI = re.compile(
    r"\b(Delete|Save|Log ?in|Log ?out|Choose File|No file chosen|Add|Change|Search|Home|Filter|Welcome|Password|"
    r"Username|Select|This field|required|Submit|Cancel|History|View site|Recent actions|Go|Action|Yes|No|"
    r"Unknown|Show all|Clear|Previous|Next|Page)\b"
)
#: the ids of shipped rule sets and frameworks, never to be shown
IDS = re.compile("|".join(re.escape(i) for i in (*shipped_ids("rules"), *shipped_ids("frameworks"))))


def visible_text(html: str) -> str:
    """The text a reader sees: no scripts, styles, comments, tags or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def english_words(html: str) -> list[str]:
    return sorted(set(ENGLISH_UI.findall(visible_text(html))))


def option_texts(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option of the select named ``name``."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    out = []
    for attrs, text in re.findall(r"<option([^>]*)>(.*?)</option>", select.group(1), re.S):
        out.append((re.search(r'value="([^"]*)"', attrs).group(1), text.strip(), "selected" in attrs))
    return out


def labels(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<label\b[^>]*>(.*?)</label>", html, re.S)]


@pytest.fixture
def staff(db: None) -> Any:
    """A 系统管理员 who may enter the admin (as load_demo makes one)."""
    return get_user_model().objects.create_superuser(username="admin-zh", password=None, first_name="管理员")


@pytest.fixture
def pages(world: World, record_factory: Any, staff: Any) -> list[tuple[Any, str]]:
    """(person, url) of every kind of page: public, login, lists, new, edit parts, import, overview, admin."""
    cache.clear()  # page fragments cached by earlier runs
    draft = record_factory("A1")
    published = record_factory("A1", status=Status.PUBLISHED)
    filler = world.user(Role.FILLER, "A1")
    finance = world.user(Role.FINANCE_ADMIN, "F1")
    return [
        (None, reverse("public:list")),
        (None, reverse("public:detail", args=[published.pk])),
        (None, reverse("login")),
        (None, reverse("admin:login")),
        (filler, reverse("evaluations:list")),
        (filler, reverse("evaluations:new")),
        (filler, reverse("evaluations:import")),
        (filler, reverse("evaluations:detail", args=[draft.pk])),
        (filler, reverse("evaluations:versions", args=[draft.pk])),
        *((filler, reverse("evaluations:edit", args=[draft.pk, part])) for part in ("funds", "outputs", "claims")),
        (finance, reverse("evaluations:overview")),
        (finance, reverse("evaluations:overdue")),
        (staff, reverse("admin:index")),
        (staff, reverse("admin:evaluations_evaluationrecord_changelist")),
        (staff, reverse("admin:evaluations_evaluationrecord_change", args=[draft.pk])),
        (staff, reverse("admin:evaluations_reportingyear_add")),
        (staff, reverse("admin:organisations_membership_add")),
        (staff, reverse("admin:auth_user_changelist")),
    ]


def get(person: Any, url: str, **extra: Any) -> Any:
    client = Client()
    if person is not None:
        client.force_login(person)
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


# ------------------------------------------------------------------------------------------ Chinese always


def test_an_english_browser_gets_chinese_pages_and_admin(pages):
    for person, url in pages:
        html = get(person, url, **ENGLISH).content.decode()
        assert english_words(html) == [], url
        assert '<html lang="zh' in html, url


def test_django_s_own_strings_are_chinese_for_an_english_browser(world, record_factory, staff):
    filler = world.user(Role.FILLER, "A1")
    draft = record_factory("A1")
    funds = get(filler, reverse("evaluations:edit", args=[draft.pk, "funds"]), **ENGLISH).content.decode()
    assert "<th>删除</th>" in funds  # the formset's own delete box
    admin = get(staff, reverse("admin:evaluations_reportingyear_add"), **ENGLISH).content.decode()
    assert 'value="保存"' in admin and "保存并增加另一个" in admin
    login_page = Client().get(reverse("admin:login"), **ENGLISH).content.decode()
    assert 'value="登录"' in login_page
    # a validation message written by Django itself
    client = Client()
    client.force_login(filler)
    response = client.post(reverse("evaluations:new"), {"year": "2022"}, **ENGLISH)
    assert "这个字段是必填项。" in response.content.decode()


# ------------------------------------------------------------------------------------------ names, not ids


def test_the_new_evaluation_form_names_rule_sets_and_frameworks_in_chinese(world):
    html = get(world.user(Role.FILLER, "A1"), reverse("evaluations:new"), **ENGLISH).content.decode()
    frameworks = option_texts(html, "framework")
    rules = option_texts(html, "rules")
    assert [text for _, text, _ in frameworks] == [load_framework(value).name for value, _, _ in frameworks]
    assert [text for _, text, _ in rules] == [load_rules(value).name for value, _, _ in rules]
    assert "项目支出绩效自评表（财预〔2020〕10号 附1）" in [text for _, text, _ in frameworks]
    assert not IDS.search(visible_text(html))


def test_the_indicator_editor_names_its_framework(world, record_factory):
    draft = record_factory("A1")
    html = get(world.user(Role.FILLER, "A1"), reverse("evaluations:edit", args=[draft.pk, "indicators"])).content
    text = visible_text(html.decode())
    assert "指标体系：项目支出绩效自评表（财预〔2020〕10号 附1）" in text
    assert not IDS.search(text)


def test_no_ids_on_any_page(pages):
    for person, url in pages:
        if "/admin/" in url:
            continue  # the admin lists stored columns as they are
        assert not IDS.search(visible_text(get(person, url).content.decode())), url


# ------------------------------------------------------------------------------------------ colons


def test_every_form_label_ends_with_a_full_width_colon(pages):
    seen = 0
    for person, url in pages:
        html = get(person, url, **ENGLISH).content.decode()
        for label in labels(html):
            assert not label.endswith(":"), (url, label)
            seen += label.endswith("：")
    assert seen > 50  # filters, the new form, edit parts, import, admin and login forms all have them


def test_a_label_already_ending_in_a_full_width_colon_gets_no_second_one(db):
    from django import forms

    class Form(forms.Form):
        name = forms.CharField(label="所述“资金到位及时”：")
        score = forms.CharField(label="自评总分")

    form = Form()
    assert form["name"].label_tag().endswith("所述“资金到位及时”：</label>")
    assert form["score"].label_tag().endswith("自评总分：</label>")


# ------------------------------------------------------------------------------------------ brand


def test_the_product_has_a_chinese_name(pages):
    for person, url in pages:
        html = get(person, url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert BRAND in title, url
        assert "jixiao" not in visible_text(html).lower(), url
    admin = get(pages[-1][0], reverse("admin:index")).content.decode()
    assert f"{BRAND} · 系统管理" in admin


# ------------------------------------------------------------------------------------------ file inputs


def test_every_file_input_has_a_chinese_button(world, record_factory):
    filler = world.user(Role.FILLER, "A1")
    draft = record_factory("A1")
    seen = 0
    for url in (
        reverse("evaluations:list"),
        reverse("evaluations:import"),
        reverse("evaluations:detail", args=[draft.pk]),
    ):
        html = get(filler, url, **ENGLISH).content.decode()
        inputs = re.findall(r'<input type="file"[^>]*>', html)
        assert inputs, url
        for tag in inputs:
            assert 'class="visually-hidden"' in tag, (url, tag)
            input_id = re.search(r'id="([^"]+)"', tag).group(1)
            assert re.search(rf'<label class="button secondary" for="{input_id}">选择文件</label>', html), url
            seen += 1
        assert "未选择文件" in html and "file-input.js" in html
    assert seen == 3


def test_the_file_input_script_shows_the_chosen_name_in_chinese():
    script = (ROOT / "jixiao/web/static/jixiao/file-input.js").read_text(encoding="utf-8")
    assert "未选择文件" in script and '"、"' in script


# ------------------------------------------------------------------------------------------ open data


def test_csv_headers_are_chinese_and_json_keys_english(client, db):
    csv_head = client.get(reverse("public:open_data_csv"))
    header = b"".join(csv_head.streaming_content).decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [f.header for f in OPEN_DATA]
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in header)
    assert all(re.fullmatch(r"[a-z_]+", f.key) for f in OPEN_DATA)
    for field in OPEN_DATA:
        if field.unit in ("万元", "%", "分"):
            assert f"（{field.unit}）" in field.header, field.header
    assert "全年预算数（万元）" in header


def test_the_data_dictionary_documents_every_field(client, db):
    doc = (ROOT / "docs/open-data.md").read_text(encoding="utf-8")
    rows = {
        m.group(2): (m.group(1), m.group(3), m.group(4))
        for m in re.finditer(r"^\| (.+?) \| `([a-z_]+)` \| (.+?) \| (.+?) \|$", doc, re.M)
    }
    assert list(rows) == [f.key for f in OPEN_DATA]
    for field in OPEN_DATA:
        assert rows[field.key] == (field.header, field.unit or "—", field.meaning)
    page = client.get(reverse("public:list")).content.decode()
    assert 'href="#data-dictionary"' in page and 'id="data-dictionary"' in page
    table = re.search(r'<table id="open-data-fields">.*?</table>', page, re.S).group(0)
    for field in OPEN_DATA:
        assert f"<td>{field.header}</td><td><code>{field.key}</code></td>" in table


def test_no_template_draws_a_bare_file_input():
    """A page's file input comes from jixiao/_file_input.html (or widgets.ChineseFileInput): a bare one shows the
    browser's own button, in the browser's language."""
    templates = Path(__file__).resolve().parents[2] / "jixiao" / "web" / "templates"
    bare = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if path.name != "_file_input.html" and 'type="file"' in path.read_text(encoding="utf-8")
    ]
    assert bare == []
