"""factory_boy factories shared by every app's tests.

Plan content built by a factory is test data set up as the operator's loaders set up reference data:
it may be written into a plan that is already frozen (a fixture "an in-force plan with these
elements"). Tests of the lock itself write through the models, never through a factory."""
import factory
from django.contrib.auth import get_user_model

from oneplan.governance.locks import allow_published_changes
from oneplan.organisations.models import Membership, Organisation
from oneplan.plans.models import Element, Plan


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"org-{n}")
    kind = "sao"
    name_th = factory.Sequence(lambda n: f"องค์การบริหารส่วนตำบลทดสอบ {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "editor"


class ContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with allow_published_changes():
            return super()._create(model_class, *args, **kwargs)


class PlanFactory(ContentFactory):
    class Meta:
        model = Plan

    key = factory.Sequence(lambda n: f"test-plan-{n}")
    kind = "lao_local"
    title_th = factory.Sequence(lambda n: f"แผนพัฒนาท้องถิ่นทดสอบ {n}")
    owner = factory.SubFactory(OrganisationFactory)
    start_year = 2566
    end_year = 2570
    status = "draft"


class ElementFactory(ContentFactory):
    class Meta:
        model = Element

    plan = factory.SubFactory(PlanFactory)
    kind = "issue"
    code = factory.Sequence(lambda n: f"E{n}")
    title_th = factory.Sequence(lambda n: f"ประเด็นการพัฒนาทดสอบ {n}")


def editor_of(org, username=None):
    user = UserFactory(username=username) if username else UserFactory()
    MembershipFactory(user=user, organisation=org, role="editor")
    return user
