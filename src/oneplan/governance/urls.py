from django.urls import path

from . import views
from .security import LoginView

app_name = "governance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/<int:pk>/panel/", views.plan_panel, name="panel"),
    path("plans/<int:pk>/step/<slug:action>/", views.transition, name="transition"),
    path("plans/<int:pk>/new-edition/", views.new_edition, name="new_edition"),
    path("plans/<int:pk>/diff/", views.diff_page, name="diff"),
    path("plans/<int:pk>/diff.xlsx", views.diff_export, name="diff_export"),
    path("plans/<int:pk>/audit/", views.plan_audit, name="plan_audit"),
    path("steps/<int:pk>/document/", views.document, name="document"),
    path("audit/me/", views.user_audit, name="my_audit"),
    path("audit/users/<str:username>/", views.user_audit, name="user_audit"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/login/", LoginView.as_view(), name="login"),
    path("account/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("account/password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("account/password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("account/password/reset/complete/", views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
