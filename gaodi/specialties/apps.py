from django.apps import AppConfig


class SpecialtiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gaodi.specialties"
    verbose_name = "专业"
