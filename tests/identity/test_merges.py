from passerelle.identity.merges import merge_options
from passerelle.identity.names import split_name


def test_adjacent_parts_merge_when_the_other_name_writes_them_as_one() -> None:
    side = split_name("Hasan Ali Karimzadeh")
    options = merge_options(side, split_name("حسنعلی کریمزاده"))
    assert [(i, p.text) for i, p in options] == [(0, "hasanali")]


def test_no_merge_when_the_other_name_has_no_longer_skeleton() -> None:
    # "Larisa Leonidovna" merged would be longer than any part of the other name.
    assert (
        merge_options(split_name("Larisa Leonidovna Maksimova"), split_name("Larisa Makarova"))
        == []
    )
