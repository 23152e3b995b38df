"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
application = get_wsgi_application()

# what a process killed in the middle of an upload left behind (docs/deploy.md: also daily, by cron)
from jixiao.web.scratch import sweep  # noqa: E402 (after Django is set up)

sweep()

# a SQLite database that never had its planner statistics gathered (docs/deploy.md: refreshed daily, by cron)
from jixiao.web.planner_statistics import gather_if_missing  # noqa: E402

gather_if_missing()
