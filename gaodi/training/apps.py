from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gaodi.training"
    verbose_name = "社会培训与绩效工资"
