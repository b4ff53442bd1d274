from django.urls import path

from . import manage_views, views

app_name = "organisations"
urlpatterns = [
    path("", views.org_list, name="list"),
    # the province administrator's pages (before <key>/, which would take "manage" as a key)
    path("manage/", manage_views.manage, name="manage"),
    path("manage/register/", manage_views.register_lao, name="register"),
    path("manage/registry/", manage_views.registry_upload, name="registry_upload"),
    path("manage/registry/<str:token>/", manage_views.registry_preview, name="registry_preview"),
    path("manage/registry/<str:token>/confirm/", manage_views.registry_confirm, name="registry_confirm"),
    path("manage/invite/", manage_views.invite, name="invite"),
    path("manage/roles/grant/", manage_views.grant, name="grant"),
    path("manage/roles/<int:pk>/revoke/", manage_views.revoke, name="revoke"),
    path("manage/handover/", manage_views.handover, name="handover"),
    path("invitations/", manage_views.redeem, name="redeem"),
    path("invitations/<str:code>/", manage_views.accept, name="accept"),
    path("<slug:key>/", views.detail, name="detail"),
]
