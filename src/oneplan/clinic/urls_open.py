"""The Clinic Center's dashboards, planning, learning notes and partner keys (clinic.views_open), at /clinic/."""
from django.urls import path, re_path

from . import views_open as v

KINDS = r"(?P<kind>province|district|lao|dimension)"
app_name = "clinic_open"
urlpatterns = [
    path("dashboards/", v.dashboard_index, name="dashboards"),
    re_path(rf"^dashboards/{KINDS}/(?P<key>[-\w]{{1,80}})/$", v.dashboard, name="dashboard"),
    re_path(rf"^dashboards/{KINDS}/(?P<key>[-\w]{{1,80}})\.xlsx$", v.dashboard_xlsx, name="dashboard_xlsx"),
    path("planning/<slug:key>/", v.recurring, name="recurring"),
    path("planning/<slug:key>/propose/<str:area>/<slug:category>/", v.propose, name="propose"),
    path("learn/", v.notes, name="notes"),
    path("learn/new/", v.note_edit, name="note_create"),
    path("learn/<int:pk>/", v.note, name="note"),
    path("learn/<int:pk>/edit/", v.note_edit, name="note_edit"),
    path("learn/categories/<slug:code>/", v.category_notes, name="category_notes"),
    path("partners/", v.partners, name="partners"),
    path("partners/<int:pk>/revoke/", v.partner_revoke, name="partner_revoke"),
]
