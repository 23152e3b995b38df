"""Production settings pass Django's deployment checks, hold no secret, and keep CSRF protection on."""

from __future__ import annotations

import json
import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from jixiao.web.evaluations.choices import Status
from jixiao.web.organisations.models import Role
from tests.web.conftest import World

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = "jixiao.web.settings_production"


def random_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE=PRODUCTION, DJANGO_ALLOWED_HOSTS="example.gov.cn", PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_passes_without_warnings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(DJANGO_SECRET_KEY=random_key()),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output.upper() and not re.search(r"security\.W\d+", output), output


def test_production_settings_are_strict() -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('DEBUG', 'ALLOWED_HOSTS', 'MIDDLEWARE', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS')}))"
    )
    key = random_key()
    result = python(code, production_env(DJANGO_SECRET_KEY=key))
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["example.gov.cn"]
    assert "django.middleware.csrf.CsrfViewMiddleware" in values["MIDDLEWARE"]
    assert "django.middleware.security.SecurityMiddleware" in values["MIDDLEWARE"]
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in values["MIDDLEWARE"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert key not in result.stdout


@pytest.mark.parametrize("key", [None, "", "dev-only-insecure-key-not-for-production", "short", "ab" * 30])
def test_production_refuses_to_start_without_a_real_secret(key: str | None) -> None:
    extra = {} if key is None else {"DJANGO_SECRET_KEY": key}
    result = python("import django; django.setup()", production_env(**extra))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr, result.stderr
    assert "至少 50 个字符" in result.stderr


def test_production_refuses_to_start_without_its_host_names() -> None:
    result = python(
        "import django; django.setup()", production_env(DJANGO_SECRET_KEY=random_key(), DJANGO_ALLOWED_HOSTS="")
    )
    assert result.returncode != 0
    assert "必须通过环境变量 DJANGO_ALLOWED_HOSTS 写明本系统的访问域名或地址" in result.stderr, result.stderr


def test_the_repository_holds_no_secret_key() -> None:
    """No settings file assigns a literal key, and no key-looking string sits anywhere in the sources."""
    sources = [
        p
        for top in ("jixiao", "scripts", "tools", "bench", "docs", "examples")
        if (ROOT / top).exists()
        for p in (ROOT / top).rglob("*")
        if p.is_file() and p.suffix in {".py", ".sh", ".md", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".env", ".txt"}
    ]
    sources += [
        p
        for p in ROOT.glob("*")
        if p.is_file() and (p.suffix in {".toml", ".cfg", ".ini", ".txt"} or p.name.startswith(".env"))
    ]
    offenders = []
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace")
        if "django-insecure-" in text:
            offenders.append(f"{path}: Django's generated insecure key")
        for match in re.finditer(r"SECRET_KEY\s*=\s*(['\"])(.*?)\1", text):
            offenders.append(f"{path}: SECRET_KEY = {match.group(2)[:8]}…")
        for match in re.finditer(r"^\s*(?:export\s+)?DJANGO_SECRET_KEY\s*=\s*\S{20,}", text, re.MULTILINE):
            offenders.append(f"{path}: {match.group(0)[:30]}…")
    assert not offenders, offenders
    # without DJANGO_SECRET_KEY the key is made once, at random, and kept in the data folder for its owner only
    if "DJANGO_SECRET_KEY" not in os.environ:
        kept = Path(settings.DATA_DIR) / "secret_key"
        assert settings.SECRET_KEY == kept.read_text().strip() and len(settings.SECRET_KEY) >= 50
        assert kept.stat().st_mode & 0o077 == 0
    assert "CsrfViewMiddleware" in " ".join(settings.MIDDLEWARE)


def test_a_lifecycle_post_without_csrf_token_is_refused(world: World, record_factory: Any) -> None:
    record = record_factory("A1", Status.SUBMITTED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    url = f"/evaluations/{record.pk}/action/approve/"

    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.transitions.count() == 2

    # the same POST with the token the detail page hands out goes through: the 403 was the CSRF check
    page = client.get(f"/evaluations/{record.pk}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(url, {"csrfmiddlewaretoken": token.group(1), "confirm": "yes"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.DEPARTMENT_APPROVED


def test_make_run_is_safe_without_debug_and_its_error_pages_are_chinese(world: World) -> None:
    """Issue 10 §12: DEBUG is off unless DJANGO_DEBUG=1 asks for it, and then 404, 403 and a stale form's CSRF
    failure are Chinese pages, not Django's English ones or a traceback."""
    from tests.web.conftest import client_for

    result = python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "jixiao.web.settings",
            "PYTHONPATH": str(ROOT),
        },
    )
    assert result.stdout.strip() == "False", result.stderr
    filler = client_for(world.user(Role.FILLER, "A1"))
    missing = filler.get("/evaluations/999999/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    refused = filler.get("/tasks/new/")
    assert (
        refused.status_code == 403 and "只有财政绩效管理员或主管部门审核人可以发起自评任务" in refused.content.decode()
    )
    stale = Client(enforce_csrf_checks=True)
    stale.force_login(world.user(Role.FILLER, "A1"))
    expired = stale.post("/evaluations/new/", {})
    assert expired.status_code == 403 and "页面已过期" in expired.content.decode()


def test_a_strict_content_security_policy_and_no_template_that_would_break_it(client) -> None:
    """Issue 10 §12: everything is served locally, so scripts, styles and frames are this site's only; and no
    template relies on an inline script, event handler or style attribute, which that policy refuses."""
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    templates = ROOT / "jixiao" / "web" / "templates"
    inline = [
        f"{path.relative_to(templates)}: {pattern}"
        for path in templates.rglob("*.html")
        for pattern in (" style=", " onclick=", " onchange=", " onsubmit=", "<script>", "<style")
        if pattern in path.read_text(encoding="utf-8")
    ]
    assert inline == []
