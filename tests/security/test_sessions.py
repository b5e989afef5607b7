"""Sessions and log-in (issue 6): the password policy, the lock-out after repeated failures,
the cookies' flags and CSRF on every write. docs/security.md, "会话与登录"."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from gaodi.accounts.choices import Role
from gaodi.accounts.lockout import address_of
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_reference_tree

REPO_ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
PASSWORD_CHANGE = "/accounts/password/"
GOOD_PASSWORD = "Chiping-Gaodi-2021"
ELSEWHERE = "10.20.30.40"
TOO_SHORT = "密码太短，至少需要 12 个字符。"
TOO_COMMON = "这个密码太常见了。"
LOCKED_OUT = "登录失败次数过多，该账号已暂时锁定，请 15 分钟后再试。"


@pytest.fixture
def county(db: None) -> OrgUnit:
    return ensure_reference_tree(actor=None)


@pytest.fixture
def zhuanban(county: OrgUnit) -> Any:
    return create_member("zhuanban", GOOD_PASSWORD, role=Role.ADMIN, actor=None, org_unit=county)


@pytest.fixture
def lockout(settings: Any) -> None:
    """django-axes on, as in production (conftest.py turns it off for Client.login)."""
    settings.AXES_ENABLED = True


def sign_in(client: Client, password: str, username: str = "zhuanban") -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# Password policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "refusal"),
    [
        ("short-1", TOO_SHORT),
        ("password1234", TOO_COMMON),
        ("202106301234", "密码只包含数字。"),
        ("zhuanban2021", "太相似"),
    ],
)
def test_createuser_refuses_a_weak_password_in_chinese(
    county: OrgUnit, password: str, refusal: str
) -> None:
    with pytest.raises(CommandError, match=refusal):
        call_command("createuser", "zhuanban", role="admin", org=county.code, password=password)
    assert not get_user_model().objects.filter(username="zhuanban").exists()


def test_the_password_change_page_refuses_a_short_or_common_password_in_chinese(
    zhuanban: Any,
) -> None:
    client = Client()
    client.force_login(zhuanban)
    for weak, refusal in (("short-1", TOO_SHORT), ("password1234", TOO_COMMON)):
        page = client.post(
            PASSWORD_CHANGE,
            {"old_password": GOOD_PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert page.status_code == 200
        assert refusal in page.content.decode()
    zhuanban.refresh_from_db()
    assert zhuanban.check_password(GOOD_PASSWORD)


def test_the_password_change_page_asks_for_the_current_password(zhuanban: Any) -> None:
    client = Client()
    client.force_login(zhuanban)
    new = "Another-Gaodi-2022"
    page = client.post(
        PASSWORD_CHANGE, {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert "当前密码不正确" in page.content.decode()
    zhuanban.refresh_from_db()
    assert zhuanban.check_password(GOOD_PASSWORD)


def test_a_good_new_password_is_kept_recorded_and_the_user_stays_signed_in(
    zhuanban: Any,
) -> None:
    client = Client()
    client.force_login(zhuanban)
    assert "至少需要 12 个字符" in client.get(PASSWORD_CHANGE).content.decode()  # the help
    new = "Another-Gaodi-2022"
    page = client.post(
        PASSWORD_CHANGE,
        {"old_password": GOOD_PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "密码已修改。" in page.content.decode()
    assert signed_in(client)
    zhuanban.refresh_from_db()
    assert zhuanban.check_password(new)
    record = ChangeRecord.objects.filter(object_id=str(zhuanban.pk), action="update").get()
    assert record.summary == "修改了密码" and record.after is None  # never the hash


def test_the_password_change_page_needs_a_signed_in_user(db: None) -> None:
    assert Client().get(PASSWORD_CHANGE).url.startswith(LOGIN)


# Lock-out after repeated failures --------------------------------------------------------


def test_a_wrong_password_is_refused_as_before_until_the_limit(
    zhuanban: Any, lockout: None
) -> None:
    client = Client()
    for _ in range(4):
        page = sign_in(client, "wrong-password")
        assert page.status_code == 200
        assert "用户名或密码不正确" in page.content.decode()
    assert sign_in(client, GOOD_PASSWORD).status_code == 302  # the fifth try, right
    assert signed_in(client)


def test_a_right_password_clears_the_count_of_earlier_slips(zhuanban: Any, lockout: None) -> None:
    client = Client()
    for _ in range(4):
        sign_in(client, "wrong-password")
    assert sign_in(client, GOOD_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert sign_in(client, "wrong-password").status_code == 200
    assert sign_in(client, GOOD_PASSWORD).status_code == 302


def test_five_wrong_passwords_lock_the_name_from_that_address(zhuanban: Any, lockout: None) -> None:
    client = Client()
    for _ in range(4):
        sign_in(client, "wrong-password")
    fifth = sign_in(client, "wrong-password")
    assert fifth.status_code == 429
    assert LOCKED_OUT in fifth.content.decode()

    sixth = sign_in(client, GOOD_PASSWORD)
    assert sixth.status_code == 429
    assert LOCKED_OUT in sixth.content.decode()
    assert "如忘记密码，请联系工作专班重设。" in sixth.content.decode()
    assert not signed_in(client)


def test_the_same_person_elsewhere_and_a_colleague_here_still_sign_in(
    zhuanban: Any, county: OrgUnit, lockout: None
) -> None:
    create_member("lingdao", GOOD_PASSWORD, role=Role.LEADER, actor=None, org_unit=county)
    for _ in range(5):
        sign_in(Client(), "wrong-password")

    elsewhere = Client(REMOTE_ADDR=ELSEWHERE)
    assert sign_in(elsewhere, GOOD_PASSWORD).status_code == 302
    colleague = Client()
    assert sign_in(colleague, GOOD_PASSWORD, username="lingdao").status_code == 302


def test_the_lock_out_ends_after_fifteen_minutes(zhuanban: Any, lockout: None) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, "wrong-password")
    assert sign_in(client, GOOD_PASSWORD).status_code == 429

    # A quarter of an hour passes (and a second more).
    earlier = datetime.timedelta(minutes=15, seconds=1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= earlier
        attempt.save(update_fields=["attempt_time"])
    assert sign_in(client, GOOD_PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_try_during_the_lock_out_does_not_extend_it(zhuanban: Any, lockout: None) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, "wrong-password")
    locked_at = AccessAttempt.objects.get().attempt_time
    sign_in(client, "wrong-password")
    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw() -> None:
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 10.1.1.9"}
    assert address_of(meta, behind_proxy=True) == "10.1.1.9"  # not the forgeable first entry
    assert address_of(meta, behind_proxy=False) == "127.0.0.1"
    assert address_of({"REMOTE_ADDR": "127.0.0.1"}, behind_proxy=True) == "127.0.0.1"
    forged = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>"}
    assert address_of(forged, behind_proxy=True) == "127.0.0.1"


# Cookies ---------------------------------------------------------------------------------


def test_cookies_are_http_only_lax_and_end_with_the_browser(zhuanban: Any) -> None:
    client = Client()
    client.get(LOGIN)
    sign_in(client, GOOD_PASSWORD)
    session, csrf = client.cookies["sessionid"], client.cookies["csrftoken"]
    assert session["httponly"] and csrf["httponly"]
    assert session["samesite"] == csrf["samesite"] == "Lax"
    assert not session["max-age"] and not session["expires"]  # gone when the browser closes
    assert not session["secure"]  # plain HTTP (GAODI_HTTPS off), as in the demo
    assert client.session.get_expiry_age() == 8 * 60 * 60  # and never longer than a workday


def test_behind_tls_the_cookies_travel_only_over_https(zhuanban: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get(LOGIN, secure=True)
    client.post(LOGIN, {"username": "zhuanban", "password": GOOD_PASSWORD}, secure=True)
    assert client.cookies["sessionid"]["secure"] and client.cookies["csrftoken"]["secure"]


def _settings_under(tmp_path: Path, **variables: str) -> list[str]:
    """Some security settings as gaodi.settings computes them from these variables."""
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith("GAODI_") and k != "DATABASE_URL"
    }
    environ.update({"GAODI_DATA_DIR": str(tmp_path), "GAODI_SECRET_KEY": "x" * 60, **variables})
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_AGE",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
    ]
    code = f"import gaodi.settings as s; print(*[getattr(s, n, None) for n in {names!r}], sep='|')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().split("|")


def test_gaodi_https_turns_on_secure_cookies_redirect_and_hsts(tmp_path: Path) -> None:
    assert _settings_under(tmp_path)[:5] == ["False", "False", "False", "0", "None"]
    https = _settings_under(tmp_path, GAODI_HTTPS="1", GAODI_BEHIND_PROXY="1")
    assert https[:5] == ["True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO', 'https')"]


def test_session_length_and_lock_out_are_configurable(tmp_path: Path) -> None:
    values = _settings_under(
        tmp_path,
        GAODI_SESSION_HOURS="4",
        GAODI_LOGIN_FAILURE_LIMIT="3",
        GAODI_LOGIN_COOLOFF_MINUTES="30",
    )
    assert values[5:] == [str(4 * 3600), "3", "0:30:00"]


# CSRF on every write ---------------------------------------------------------------------

WRITES = [
    LOGIN,
    "/accounts/logout/",
    PASSWORD_CHANGE,
    "/plans/1/deadlines/1/fix/",
    "/indicators/sets/1/1/2021/upload/",  # csrf_exempt outside, csrf_protect inside
    "/supervision/plans/1/handovers/issue/",
    "/supervision/plans/1/meetings/record/",
]


@pytest.mark.parametrize("path", WRITES)
def test_a_write_without_the_csrf_token_is_refused(zhuanban: Any, path: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(zhuanban)
    assert client.post(path, {"reason": "x"}).status_code == 403


def test_an_api_write_from_the_browser_needs_the_csrf_token(zhuanban: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(zhuanban)
    response = client.post("/api/v1/plans/1/values", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF 校验失败" in response.json()["detail"]
