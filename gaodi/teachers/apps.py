from django.apps import AppConfig


class TeachersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gaodi.teachers"
    verbose_name = "师资队伍"
