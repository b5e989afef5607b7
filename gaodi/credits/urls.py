from django.urls import path

from . import views, views_sittings

app_name = "credits"

urlpatterns = [
    path("plans/<int:pk>/", views.learners, name="learners"),
    path("plans/<int:pk>/learners/<int:learner_id>/", views.learner, name="learner"),
    path("plans/<int:pk>/learners/<int:learner_id>/convert/", views.convert, name="convert"),
    path("plans/<int:pk>/learners/<int:learner_id>/issue/", views.issue, name="issue"),
    path("plans/<int:pk>/learners/<int:learner_id>/revoke/", views.revoke, name="revoke"),
    path(
        "plans/<int:pk>/learners/<int:learner_id>/transcript.pdf",
        views.transcript_pdf,
        name="transcript_pdf",
    ),
    path("plans/<int:pk>/register/", views.register, name="register"),
    path("plans/<int:pk>/rotate/", views.rotate, name="rotate"),
    path("plans/<int:pk>/import/", views.import_certificates_view, name="import"),
    path("plans/<int:pk>/learners/<int:learner_id>/record/", views.record, name="record"),
    path("plans/<int:pk>/learners/<int:learner_id>/merge/", views.merge, name="merge"),
    path("plans/<int:pk>/queue/", views.queue, name="queue"),
    path("plans/<int:pk>/cases/<int:case_id>/step/", views.step, name="step"),
    path("plans/<int:pk>/rules/", views.rules, name="rules"),
    path("plans/<int:pk>/rules/new/", views.new_rules, name="new_rules"),
    path("plans/<int:pk>/catalogue/", views.catalogue, name="catalogue"),
    path("plans/<int:pk>/catalogue/schemes/", views.catalogue_scheme, name="add_scheme"),
    path("plans/<int:pk>/catalogue/units/", views.catalogue_unit, name="add_unit"),
    path(
        "plans/<int:pk>/catalogue/qualifications/",
        views.catalogue_qualification,
        name="add_qualification",
    ),
    path("mine/", views.mine, name="mine"),
    path("mine/transcript.pdf", views.my_transcript_pdf, name="my_transcript_pdf"),
    path("mine/share/", views.my_share, name="my_share"),
    path("mine/withdraw/", views.my_withdraw, name="my_withdraw"),
    path("mine/appeal/", views.my_appeal, name="my_appeal"),
    path("verify/", views.verify, name="verify"),
    path("verify/<uuid:uid>/", views.credential, name="credential"),
    path("issuers/<str:code>/", views.issuer, name="issuer"),
    path("issuers/<str:code>/jwks.json", views.jwks, name="jwks"),
    path("status/<str:code>/", views.status, name="status"),
    path("share/<str:token>/", views.shared, name="shared"),
    path("plans/<int:pk>/sittings/", views_sittings.sittings, name="sittings"),
    path("plans/<int:pk>/sittings/add/", views_sittings.add_sitting, name="add_sitting"),
    path("plans/<int:pk>/learners/<int:learner_id>/course/", views.course, name="course"),
    path("plans/<int:pk>/learners/<int:learner_id>/account/", views.account, name="account"),
    path("plans/<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("mine/credentials/<uuid:uid>/token.jwt", views.my_token, name="my_token"),
]
