import datetime

from meetings.deadlines import key_deadlines


def test_key_deadlines_reference_letter_virtual_meeting():
    assert key_deadlines(datetime.date(2021, 8, 24), "virtual") == {
        "translation": datetime.date(2021, 6, 24),
        "registration": datetime.date(2021, 7, 24),
        "contributions": datetime.date(2021, 8, 11),
    }
