from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gaodi.portal"
    label = "portal"
    verbose_name = _("公开门户")
