"""`kith import-postcodes FILE`: the ONS Postcode Directory, streamed, all or nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kith.core.errors import ImportFailed, ValidationFailed
from kith.directory.geo import postcode_location
from kith.directory.models import Postcode
from kith.directory.services.postcodes import postcodes_import

HEADER = "pcd,pcd2,pcds,dointr,doterm,oslaua,osward,lat,long"
# Fictional coordinates; the shapes of the rows follow ONSPD.
ROWS = [
    "SW9 8EJ,SW9  8EJ,SW9 8EJ,198001,,E09000022,E05014000,51.465000,-0.115000",  # line 2
    "SW9 8EL,SW9  8EL,SW9 8EL,198001,,E09000022,E05014000,51.467000,-0.117000",  # line 3
    "SW9 7AB,SW9  7AB,SW9 7AB,198001,201204,E09000022,E05014000,51.466000,-0.116000",  # 4: terminated
    "SW9 9ZZ,SW9  9ZZ,SW9 9ZZ,202401,,E09000022,E05014000,99.999999,0.000000",  # 5: no grid ref
    "SE278AA,SE27 8AA,SE27 8AA,198001,,E09000022,E05014001,51.430000,-0.100000",  # line 6
    "SW1A1AA,SW1A 1AA,SW1A 1AA,198001,,E09000033,E05013806,51.501000,-0.141000",  # 7: other LA
    "NOTAPC,NOTAPC,NOT A PC,198001,,E09000022,E05014000,51.460000,-0.110000",  # 8: not a postcode
    "SE5 9AA,SE5  9AA,SE5 9AA,198001,,E09000022,E05014000,north,-0.100000",  # 9: bad coordinates
    "SE5 9AB,SE5  9AB,SE5 9AB,198001",  # line 10: wrong number of fields
]
# Enough rows that several batches are written before the broken bytes are read.
MANY_ROWS = (
    HEADER
    + "\n"
    + "".join(
        f"SW9 {n % 10}{a}{b},,SW9 {n % 10}{a}{b},198001,,E09000022,,51.46,-0.11\n"
        for n, (a, b) in enumerate((a, b) for a in "ABDEFGHJLN" for b in "ABDEFGHJLNPQRSTUWXYZ")
        for _ in range(20)
    )
)


def write(tmp_path: Path, text: str | bytes, name: str = "onspd.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def onspd(tmp_path: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    return write(tmp_path, "\n".join([header, *rows]) + "\n")


def table() -> dict[str, tuple[float, float, bool, str]]:
    return {
        p.code: (p.latitude, p.longitude, p.is_district, p.local_authority)
        for p in Postcode.objects.order_by("code")
    }


@pytest.mark.django_db
def test_imports_live_postcodes_and_districts_and_skips_the_rest_with_reasons(tmp_path):
    # given
    path = onspd(tmp_path)
    # when
    result = postcodes_import(path=path, batch_size=2)
    # then
    assert table() == {
        "SW98EJ": (51.465, -0.115, False, "E09000022"),
        "SW98EL": (51.467, -0.117, False, "E09000022"),
        "SE278AA": (51.43, -0.1, False, "E09000022"),
        "SW1A1AA": (51.501, -0.141, False, "E09000033"),
        "SW9": (51.466, -0.116, True, ""),
        "SE27": (51.43, -0.1, True, ""),
        "SW1A": (51.501, -0.141, True, ""),
    }
    assert result.imported == 4
    assert result.districts == 3
    assert dict(result.skipped) == {
        "terminated postcode": 1,
        "no grid reference": 1,
        "not a postcode": 1,
        "coordinates are not numbers in range": 1,
        "wrong number of fields": 1,
    }
    assert result.examples["terminated postcode"] == [4]
    assert result.examples["wrong number of fields"] == [10]
    assert postcode_location("sw9 8el") == (51.467, -0.117)
    assert postcode_location("SW9 4XX") == (51.466, -0.116)


@pytest.mark.django_db
def test_local_authority_limits_the_import(tmp_path):
    # when
    result = postcodes_import(path=onspd(tmp_path), local_authority="e09000022")
    # then
    assert sorted(table()) == ["SE27", "SE278AA", "SW9", "SW98EJ", "SW98EL"]
    assert result.outside_local_authority == 1


@pytest.mark.django_db
def test_newer_files_name_the_local_authority_column_lad(tmp_path):
    # given
    path = onspd(tmp_path, header=HEADER.replace("oslaua", "lad25cd"))
    # when
    postcodes_import(path=path, local_authority="E09000033")
    # then
    assert table() == {
        "SW1A1AA": (51.501, -0.141, False, "E09000033"),
        "SW1A": (51.501, -0.141, True, ""),
    }


@pytest.mark.django_db
def test_running_again_updates_in_place_and_removes_terminated_postcodes(tmp_path):
    # given
    Postcode.objects.create(code="SW97AB", latitude=51.0, longitude=-0.1)
    Postcode.objects.create(code="SW9", latitude=51.0, longitude=-0.1, is_district=True)
    postcodes_import(path=onspd(tmp_path))
    moved = [ROWS[0].replace("51.465000", "51.464000")]
    # when
    result = postcodes_import(path=onspd(tmp_path, rows=moved))
    # then
    assert result.imported == 1
    assert table()["SW98EJ"] == (51.464, -0.115, False, "E09000022")
    assert table()["SW9"] == (51.464, -0.115, True, "")
    assert "SW97AB" not in table()
    assert Postcode.objects.count() == 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("pcd,dointr,doterm\nSW9 8EJ,198001,\n", "missing columns lat, long."),
        ("name,age\nAmara,30\n", "missing columns pcds (or pcd, pcd2), lat, long."),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\xfa", "is not a CSV text file"),
        (MANY_ROWS.encode() + b"\xff\xfe broken\n", "is broken after line"),
    ],
    ids=["empty", "missing columns", "other csv", "zip not csv", "broken part way"],
)
def test_a_broken_file_is_a_clear_error_and_changes_nothing(tmp_path, content, message):
    # given
    Postcode.objects.create(code="SW98EJ", latitude=51.0, longitude=-0.1)
    before = table()
    path = write(tmp_path, content)
    # when
    with pytest.raises(ImportFailed) as raised:
        postcodes_import(path=path, batch_size=100)
    # then
    assert message in raised.value.message
    assert table() == before


@pytest.mark.django_db
def test_local_authority_needs_a_column_to_filter_on(tmp_path):
    # given
    path = onspd(tmp_path, header=HEADER.replace("oslaua", "county"))
    # when
    with pytest.raises(ImportFailed) as raised:
        postcodes_import(path=path, local_authority="E09000022")
    # then
    assert "oslaua (or lad..cd)" in raised.value.message
    assert Postcode.objects.count() == 0


@pytest.mark.django_db
def test_a_malformed_local_authority_code_is_refused(tmp_path):
    # when
    with pytest.raises(ValidationFailed) as raised:
        postcodes_import(path=onspd(tmp_path), local_authority="Lambeth")
    # then
    assert raised.value.message == "Enter a local authority code like E09000022 (Lambeth)."
    assert Postcode.objects.count() == 0


@pytest.mark.django_db
def test_progress_is_reported_in_bytes_as_batches_are_written(tmp_path):
    # given
    path = onspd(tmp_path)
    seen: list[tuple[int, int]] = []
    # when
    postcodes_import(
        path=path, batch_size=1, on_progress=lambda done, total: seen.append((done, total))
    )
    # then
    size = path.stat().st_size
    assert seen[-1] == (size, size)
    assert len(seen) == 5
    assert all(total == size for _, total in seen)


@pytest.mark.django_db
def test_the_command_reports_what_it_imported_and_skipped(tmp_path):
    # given
    out = StringIO()
    # when
    call_command(
        "import_postcodes", str(onspd(tmp_path)), "--local-authority", "E09000022", stdout=out
    )
    # then
    assert out.getvalue().splitlines() == [
        "Imported 3 postcodes and 2 postcode districts.",
        "Left out 1 postcodes outside E09000022.",
        "Skipped 1 rows: coordinates are not numbers in range (lines 9).",
        "Skipped 1 rows: no grid reference (lines 5).",
        "Skipped 1 rows: not a postcode (lines 8).",
        "Skipped 1 rows: terminated postcode (lines 4).",
        "Skipped 1 rows: wrong number of fields (lines 10).",
    ]


@pytest.mark.django_db
def test_the_command_turns_a_broken_file_into_a_command_error(tmp_path):
    # when
    with pytest.raises(CommandError) as raised:
        call_command("import_postcodes", str(tmp_path / "missing.csv"))
    # then
    assert str(raised.value) == f"No such file: {tmp_path / 'missing.csv'}"
    assert Postcode.objects.count() == 0
