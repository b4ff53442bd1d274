from django.urls import path

from . import views

app_name = "consultation"
urlpatterns = [
    path("", views.index, name="index"),
    # public
    path("rounds/<int:pk>/", views.round_public, name="round"),
    path("rounds/<int:pk>/comment/", views.comment_create, name="comment"),
    path("rounds/<int:pk>/report/", views.round_report, name="report"),
    path("rounds/<int:pk>/report.pdf", views.round_report_pdf, name="report_pdf"),
    path("rounds/<int:pk>/report.xlsx", views.round_report_xlsx, name="report_xlsx"),
    path("comments/<int:pk>/vote/", views.comment_vote, name="vote"),
    path("comments/<int:pk>/report-abuse/", views.comment_report, name="report_abuse"),
    path("follow/<str:token>/", views.follow, name="follow"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    # plan page hooks
    path("plans/<int:pk>/", views.plan_consultation, name="plan"),
    path("plans/<int:pk>/panel/", views.plan_panel, name="plan_panel"),
    # planners, moderators, facilitators
    path("plans/<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("plans/<int:pk>/events/new/", views.event_create, name="event_create"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/manage/", views.round_manage, name="manage"),
    path("rounds/<int:pk>/moderation/", views.moderation, name="moderation"),
    path("comments/<int:pk>/answer/", views.comment_answer, name="answer"),
    path("comments/<int:pk>/moderate/<str:action>/", views.moderate, name="moderate"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("groups/<int:pk>/", views.facilitate, name="facilitate"),
]
