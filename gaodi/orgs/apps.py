from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gaodi.orgs"
    label = "orgs"
    verbose_name = _("机构与部门")
