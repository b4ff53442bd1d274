from django.contrib import admin

from .models import AuditEntry, CalendarDeadline, Transition


@admin.register(CalendarDeadline)
class CalendarDeadlineAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "plan_kind", "step", "due_date", "note"]
    list_filter = ["fiscal_year", "plan_kind"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record of what happened is not edited, not even by administrators."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["at", "plan", "action", "from_state", "to_state", "user", "committee", "meeting_number"]
    list_filter = ["action"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "model", "object_repr", "plan_id"]
    list_filter = ["action", "model"]
    search_fields = ["object_repr", "message", "user__username"]
