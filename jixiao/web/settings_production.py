"""Production settings: secrets from the environment, HTTPS only, no debug.

Nothing secret is in the repository: the key comes from ``DJANGO_SECRET_KEY`` and these settings refuse to
load without it, with a short or repetitive one, or with the development placeholder; and without
``DJANGO_ALLOWED_HOSTS``. ``manage.py check --deploy --fail-level WARNING``
passes with them (tests/web/test_deploy.py).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
#: as Django's own deployment check judges a key: long, and not made of a handful of characters
if not SECRET_KEY or "insecure" in SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "生产环境必须通过环境变量 DJANGO_SECRET_KEY 提供随机密钥（至少 50 个字符，不要使用开发密钥），"
        "例如：python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "生产环境必须通过环境变量 DJANGO_ALLOWED_HOSTS 写明本系统的访问域名或地址（多个用逗号分隔），"
        "例如：DJANGO_ALLOWED_HOSTS=jixiao.czj.example.gov.cn"
    )
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Behind the intranet web server every request comes from its address: locking an address after five wrong
# passwords would lock everyone out. In production the sign-in throttle counts per account only (docs/deploy.md).
AXES_LOCKOUT_PARAMETERS = ["username"]
