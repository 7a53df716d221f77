"""The Spark engine's session: its driver heap comes from the settings."""

from __future__ import annotations

from typing import Any

import pytest

from passerelle.bulk.engine import open_engine
from passerelle.settings import Settings


def test_driver_memory_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_SPARK_DRIVER_MEMORY", "6g")
    assert Settings.from_env().spark_driver_memory == "6g"
    monkeypatch.delenv("PASSERELLE_SPARK_DRIVER_MEMORY")
    assert Settings.from_env().spark_driver_memory == "8g"


@pytest.mark.spark
def test_the_spark_jvm_gets_the_configured_heap(spark_session: Any) -> None:
    # The test run's session was started with the default setting: an 8 GiB heap, not Spark's
    # own 1 GiB default that a million-entry watchlist's broadcast key table outgrows.
    engine = open_engine("spark", Settings(spark_master="local[2]"))
    runtime = engine.spark.sparkContext._jvm.java.lang.Runtime.getRuntime()
    assert engine.spark.sparkContext.getConf().get("spark.driver.memory") == "8g"
    assert runtime.maxMemory() > 7 * 2**30
