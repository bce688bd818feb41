"""Sharing work between this process and worker processes."""

from __future__ import annotations

import sys

import pytest

from pipelines.parallel import FedWorkers, take_turns


def test_fed_workers_take_a_few_items_ahead_and_give_every_result_by_key():
    done_here = {}
    interval = sys.getswitchinterval()
    with FedWorkers(pow, n_workers=1, in_flight=2) as workers:
        assert sys.getswitchinterval() < interval  # the pool's threads get their turns sooner meanwhile
        for key in range(20):
            if workers.has_room():
                workers.send(key, key, 2)
                assert len(workers._running) <= 2  # a few items sent ahead, not all twenty at once
            else:  # the worker is busy: this process does the item itself
                done_here[key] = key ** 2
        results = workers.finish()
    assert len(results) >= 2 and not set(results) & set(done_here)
    assert {**results, **done_here} == {key: key ** 2 for key in range(20)}
    assert sys.getswitchinterval() == interval


def test_a_workers_error_is_raised_here():
    with pytest.raises(ValueError), FedWorkers(int, n_workers=1) as workers:
        workers.send("bad", "not a number")
        workers.finish()


def test_taking_turns_gives_every_result_by_key_whoever_did_it():
    assert take_turns(pow, ((key, (key, 2)) for key in range(20)), n_workers=1) == {key: key ** 2 for key in range(20)}
