from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gaodi.enterprises"
    verbose_name = "产教融合型企业"
