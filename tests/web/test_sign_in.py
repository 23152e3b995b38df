"""Signing in (issue 10 §7): five wrong passwords lock the account, and the address they came from, for 30 minutes
with a Chinese page (a right password then does not get in); a system administrator lifts it in 系统管理; weak
passwords are refused in Chinese."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

PASSWORD = "Ke-pu-2022-zhan"


@pytest.fixture
def person(db: None):
    return get_user_model().objects.create_user("tianbao", password=PASSWORD, first_name="填报员")


def sign_in(client: Client, password: str, username: str = "tianbao", address: str = "10.0.0.8"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_with_a_chinese_page(person) -> None:
    client = Client()
    for _ in range(4):
        assert sign_in(client, "wrong-password").status_code == 200  # the form again, with its error
    locked = sign_in(client, "wrong-password")
    assert locked.status_code == 429
    assert (
        "密码连续输错 5 次，这个账号（或这台电脑所在的地址）暂时不能登录，请 30 分钟后再试。" in locked.content.decode()
    )
    # the right password does not get in now, from anywhere
    assert sign_in(Client(), PASSWORD, address="10.0.0.9").status_code == 429
    # the administrator lifts it (系统管理 → 登录失败记录), and the right password gets in again
    AccessAttempt.objects.all().delete()
    assert sign_in(Client(), PASSWORD).status_code == 302


def test_the_attempts_show_in_chinese_in_the_admin(person, admin_client: Client) -> None:
    sign_in(Client(), "wrong-password")
    page = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "登录失败记录" in page and "IP 地址" in page and "失败次数" in page
    assert "登录保护" in admin_client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("83920174", "密码只包含数字"),
        ("00000001", "密码只包含数字"),
        ("tianbao1", "密码跟 用户名 太相似"),
        ("short", "密码长度太短"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(person, password: str, says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, person)
    assert any(says in message for message in refused.value.messages), refused.value.messages


def test_a_session_is_read_while_it_lives_and_not_once_it_has_expired(person) -> None:
    """Sessions are read with one plain query (``jixiao.web.session_store``): a signed-in person stays signed in,
    an expired session signs them out, and signing out ends the session."""
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.get("/evaluations/").status_code == 200
    session = Session.objects.get()
    assert session.get_decoded()["_auth_user_id"] == str(person.pk)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/evaluations/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.get("/evaluations/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/evaluations/").status_code == 302
