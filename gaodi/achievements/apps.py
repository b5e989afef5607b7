from django.apps import AppConfig


class AchievementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gaodi.achievements"
    verbose_name = "评价与成果"
