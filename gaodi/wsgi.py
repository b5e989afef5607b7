"""The WSGI entry point, for gunicorn: ``gunicorn gaodi.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaodi.settings")

application = get_wsgi_application()
