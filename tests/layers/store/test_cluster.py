"""The local Dask cluster: processes of one thread, listening on 127.0.0.1 only, no dashboard,
closed after use; the real BD TOPO extract prepared on it."""

from __future__ import annotations

import json

import psutil
import pytest

from layers.store.prepare import PrepareOptions, dask_client


def test_the_local_cluster_listens_on_localhost_only_and_is_closed():
    me = psutil.Process()
    with dask_client(PrepareOptions(workers=2, memory_limit="1GB")) as client:
        info = client.scheduler_info()
        assert client.scheduler.address.startswith("tcp://127.0.0.1:")
        assert len(info["workers"]) == 2
        for address, worker in info["workers"].items():
            assert address.startswith("tcp://127.0.0.1:") and worker["nthreads"] == 1
        # no dashboard pages; distributed still serves its health route, on 127.0.0.1 (checked below)
        processes = [me, *me.children(recursive=True)]
        listening = [
            c.laddr.ip
            for p in processes
            for c in p.net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN
        ]
        assert listening and set(listening) == {"127.0.0.1"}
        workers = [p for p in me.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]
        assert len(workers) == 2
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive  # (multiprocessing's resource tracker stays for the life of this process)


def test_the_bd_topo_extract_is_prepared_every_feature_accounted(shared_data, tmp_path):
    from layers.buildings.layer import BuildingsLayer
    from layers.store.prepare import prepare_store
    from layers.store.reader import open_store

    redon = shared_data / "bdtopo" / "redon_v3_35236" / "BATIMENT.shp"
    lyon = shared_data / "buildings" / "lyon1_bdtopo" / "buildings_lyon1.geojson"
    summary = prepare_store(
        [redon, lyon], tmp_path / "s", PrepareOptions(workers=2, chunksize=2000), progress=None
    )
    meta = json.loads((tmp_path / "s" / "store.json").read_text())
    assert [s["read"] for s in meta["sources"]] == [6342, 2576]
    for source, path in zip(meta["sources"], (redon, lyon), strict=True):
        assert source["read"] == source["kept"] + sum(source["dropped"].values())
        loaded = BuildingsLayer.load(path)
        assert source["kept"] == loaded.feature_count()
        assert source["attribution"] == loaded.attribution == "Source: IGN – BD TOPO®"  # the credit line
    store = open_store(tmp_path / "s")
    assert summary.count == store.tiles()["count"].sum() == meta["count"]
    lyon_rows = store.read_bbox((840_000.0, 6_510_000.0, 850_000.0, 6_525_000.0))  # Lyon in Lambert-93
    assert len(lyon_rows) == 2576
    assert lyon_rows["height_m"].max() == pytest.approx(50.7, abs=0.05)
    assert lyon_rows["id"].str.startswith("BATIMENT").all()
    from layers.streamed.layer import StreamedBuildingsLayer

    assert StreamedBuildingsLayer.load(tmp_path / "s").attribution == "Source: IGN – BD TOPO®"


def test_an_existing_cluster_is_used_as_it_is(dataset, tmp_path):
    from layers.store.prepare import prepare_store
    from layers.store.reader import open_store

    with dask_client(PrepareOptions(workers=1, memory_limit="1GB")) as client:
        workers = set(client.scheduler_info()["workers"])
        summary = prepare_store(
            [dataset["fgb"]],
            tmp_path / "s",
            PrepareOptions(scheduler=client.scheduler.address, chunksize=300),
            progress=None,
        )
        assert set(client.scheduler_info()["workers"]) == workers  # not closed, not changed
    assert summary.count == 800 and open_store(tmp_path / "s").meta["complete"]
