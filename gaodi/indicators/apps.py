from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "gaodi.indicators"
    label = "indicators"
    verbose_name = _("指标")

    def ready(self) -> None:
        from . import totals

        totals.connect()  # the roll-up's totals follow save() and delete() of a value
