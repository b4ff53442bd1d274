from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oneplan.api.api import api
from oneplan.core import views as core_views
from oneplan.governance.security import LoginView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/login/", LoginView.as_view(), name="login"),  # lockout: django-axes (settings)
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("areas/", include("oneplan.areas.urls")),
    path("organisations/", include("oneplan.organisations.urls")),
    path("plans/", include("oneplan.plans.urls")),
    path("frameworks/", include("oneplan.frameworks.urls")),
    path("search/", include("oneplan.search.urls")),
    path("linkage/", include("oneplan.linkage.urls")),
    path("transfer/", include("oneplan.transfer.urls")),
    path("governance/", include("oneplan.governance.urls")),
    path("monitoring/", include("oneplan.monitoring.urls")),
    path("consultation/", include("oneplan.consultation.urls")),
    path("clinic/", include("oneplan.clinic.urls")),
    path("clinic/", include("oneplan.clinic.urls_open")),
    path("open311/v2/", include("oneplan.clinic.urls_open311")),
    path("api/v1/", api.urls),
    path("api/tokens/", include("oneplan.api.urls")),
    path("opendata/", include("oneplan.opendata.urls")),
    path("portal/", include("oneplan.portal.urls")),
    path("knowledge/", include("oneplan.knowledge.urls")),
    path("notifications/", include("oneplan.notifications.urls")),
    path("jobs/", include("oneplan.jobs.urls")),
]
