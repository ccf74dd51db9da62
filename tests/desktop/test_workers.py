"""Background tasks: their outcome reaches the GUI thread, they reuse a few long-lived threads
(GDAL and PROJ keep state per thread), and a cancelled one that still runs never holds up the next."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication

from desktop import workers
from desktop.workers import Task, wait_all


def run_one(qtbot, function) -> list[tuple[str, object]]:
    outcome: list[tuple[str, object]] = []
    task = Task(function)
    task.succeeded.connect(lambda result: outcome.append(("succeeded", result)))
    task.failed.connect(lambda exc, _text: outcome.append(("failed", exc)))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        task.start()
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    return outcome


def test_the_result_and_the_failure_come_back_on_the_gui_thread(qtbot):
    gui = threading.get_ident()
    seen: list[int] = []

    def work(progress, cancelled):
        seen.append(threading.get_ident())
        return 42

    assert run_one(qtbot, work) == [("succeeded", 42)]
    assert seen and seen[0] != gui

    def broken(progress, cancelled):
        raise ValueError("colonne « hauteur » absente")

    [(kind, exc)] = run_one(qtbot, broken)
    assert kind == "failed" and isinstance(exc, ValueError) and "hauteur" in str(exc)


def test_tasks_one_after_another_reuse_the_same_thread(qtbot):
    before = len(workers._workers.threads)
    idents = set()

    def work(progress, cancelled):
        idents.add(threading.get_ident())
        return None

    for _ in range(40):
        run_one(qtbot, work)
    # a task started while the previous one's thread is still saying it is free may get a second
    # thread; never one each
    assert len(idents) <= 2
    assert len(workers._workers.threads) <= before + 2


def test_a_cancelled_task_still_running_does_not_hold_up_the_next(qtbot):
    release = threading.Event()
    cancelled_seen = []

    def stuck(progress, cancelled):
        release.wait(10)  # a GDAL read that cannot be interrupted
        return "dropped"

    first = Task(stuck)
    first.cancelled.connect(lambda: cancelled_seen.append(True))
    dropped = []
    first.succeeded.connect(dropped.append)
    first.start()
    first.cancel()
    assert cancelled_seen == [True] and first.running  # answered at once; the function goes on
    try:
        assert run_one(qtbot, lambda progress, cancelled: "next") == [("succeeded", "next")]
    finally:
        release.set()
    assert wait_all(10_000) and not first.running
    QApplication.processEvents()
    assert dropped == []  # the cancelled task's late result is not delivered


@pytest.mark.parametrize("running", [True, False])
def test_release_deletes_the_task_once_its_function_has_ended(qtbot, running):
    release = threading.Event()
    task = Task(lambda progress, cancelled: release.wait(10))
    task.start()
    if not running:
        release.set()
        qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    destroyed = []
    task.destroyed.connect(lambda: destroyed.append(True))
    task.release()
    release.set()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=10_000)
