"""Sharing work between this process and worker processes."""

from __future__ import annotations

import pytest

from pipelines.parallel import FedWorkers, worker_shares


def test_the_shares_balance_the_weights_heaviest_first(monkeypatch):
    monkeypatch.setenv("FIGURES_WORKERS", "2")
    weights = [6_400, 300, 5_900, 5_800, 200, 3_400, 100]
    shares = worker_shares(weights)
    loads = [sum(w for w, s in zip(weights, shares) if s == share) for share in (0, 1)]
    assert sorted(loads) == [10_400, 11_700]  # 6,400 + 3,400 + the small ones; 5,900 + 5,800
    # A worker's items cost more (their data is sent and their results come back): it gets less.
    shares = worker_shares(weights, away_cost=1.5)
    assert sum(w for w, s in zip(weights, shares) if s) < sum(w for w, s in zip(weights, shares) if not s)
    monkeypatch.setenv("FIGURES_WORKERS", "1")
    assert worker_shares(weights) == [0] * len(weights)  # one core: everything stays here


def test_fed_workers_give_every_result_by_key_and_raise_a_workers_error():
    work = ((key, (key, 2)) for key in range(20))
    with FedWorkers(pow, work, n_workers=1, in_flight=2) as workers:
        assert len(workers._running) == 2  # a few items sent, not all twenty at once
        results = workers.finish()
    assert results == {key: key ** 2 for key in range(20)}
    with pytest.raises(ValueError), FedWorkers(int, iter([("bad", ("not a number",))]), n_workers=1) as workers:
        workers.finish()
