import datetime

from agenda import demo, queries
from agenda.models import AgendaVersion, Session, TimePlanVersion
from agenda.numbering import flatten
from meetings import demo as meetings_demo
from tests.factories import MeetingFactory, QuestionFactory


def test_demo_publishes_annex_b_and_a_time_plan_once(secretariat):
    past = MeetingFactory(first_day=datetime.date(2021, 8, 24), draft_agenda=meetings_demo.AGENDA_2021)
    upcoming = MeetingFactory(first_day=datetime.date.today() + datetime.timedelta(days=60))
    QuestionFactory(number=4)

    demo.load()
    demo.load()

    agenda = AgendaVersion.objects.get(meeting=past, number__isnull=False)
    labels = [node.label for node in flatten(queries.agenda_tree(agenda))]
    assert (agenda.number, labels[0], labels[-1], len(labels)) == (1, "1", "10", 68)
    assert agenda.td_revision.display_name == "TD 1 (PLEN)"
    time_plan = TimePlanVersion.objects.get(meeting=upcoming, number__isnull=False)
    assert time_plan.number == 1
    assert Session.objects.filter(version=time_plan).count() == len(demo.TIME_PLAN)
    assert [str(q) for q in Session.objects.get(version=time_plan, title="Q4/17").questions.all()] == ["Q4/17"]
