from django.contrib import admin

from .models import Attendance, GuidanceVersion, KPIDefinition, Workshop, WorkshopMaterial


@admin.register(GuidanceVersion)
class GuidanceVersionAdmin(admin.ModelAdmin):
    list_display = ("title", "plan_kind", "topic_type", "topic", "number", "status", "effective_from")
    list_filter = ("topic_type", "status", "plan_kind")


@admin.register(KPIDefinition)
class KPIDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "direction", "frequency")
    search_fields = ("name",)


class MaterialInline(admin.TabularInline):
    model = WorkshopMaterial
    extra = 1


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 3
    raw_id_fields = ("organisation", "user")


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("title", "held_on", "organiser")
    raw_id_fields = ("organiser",)
    search_fields = ("title", "summary", "speakers")
    filter_horizontal = ("guidance",)
    inlines = [MaterialInline, AttendanceInline]
