"""What every journal backend promises (SQLite and DynamoDB, same tests): sessions, ordered
durable entries, the session lock, and no credentials."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from v6wizard.errors import SecretInJournal, SessionLocked, UnknownSession
from v6wizard.journal import lock_owner
from v6wizard.journal.base import Journal, JournalEntry, SessionInfo, utcnow


def test_session_round_trips_plan_snapshot_and_status(journal: Journal, plan) -> None:
    snapshot = {"vpc": {"id": "vpc-0abc", "ipv6": []}, "taken_at": "2026-11-23T01:00:00+00:00"}
    info = journal.create_session(plan, snapshot)
    assert info.id.startswith("v6-") and len(info.id) == len("v6-20261123-ab12cd")
    assert journal.plan(info.id) == plan
    assert journal.snapshot(info.id) == snapshot
    journal.set_status(info.id, "applying")
    again = journal.session(info.id)
    assert (again.status, again.vpc_id, again.plan_fingerprint) == ("applying", "vpc-0abc", "fp-1")
    assert again.updated_at >= info.updated_at


def test_every_backend_describes_a_new_session_as_session_info_for_plan_does(journal: Journal, plan) -> None:
    info = journal.create_session(plan)
    expected = SessionInfo.for_plan(plan, info.id)
    assert info.model_dump(exclude={"created_at", "updated_at"}) == expected.model_dump(exclude={"created_at", "updated_at"})
    assert (expected.account_id, expected.region, expected.vpc_id, expected.status) == ("123456789012", "us-east-1", "vpc-0abc", "planned")
    assert expected.plan_fingerprint == plan.fingerprint and expected.created_at == expected.updated_at


def test_sessions_are_listed_newest_first_and_filtered(journal: Journal, plan_for) -> None:
    first = journal.create_session(plan_for("vpc-1"))
    second = journal.create_session(plan_for("vpc-2"))
    assert [s.id for s in journal.sessions()] == [second.id, first.id]
    assert [s.id for s in journal.sessions(account_id="123456789012", region="us-east-1")] == [second.id, first.id]
    assert journal.sessions(region="eu-west-1") == []
    assert journal.snapshot(first.id) is None


def test_unknown_session_is_refused(journal: Journal) -> None:
    with pytest.raises(UnknownSession, match="no session v6-nope"):
        journal.session("v6-nope")
    with pytest.raises(UnknownSession):
        journal.append(JournalEntry(session_id="v6-nope", action_id="", kind="note"))
    with pytest.raises(UnknownSession):
        journal.set_status("v6-nope", "failed")


def test_concurrent_appends_get_distinct_consecutive_seqs_in_order(journal: Journal, second_writer: Journal, plan) -> None:
    info = journal.create_session(plan)
    returned: list[JournalEntry] = []
    guard = threading.Lock()

    def write(handle: Journal, worker: int) -> None:
        for n in range(5):
            stored = handle.append(JournalEntry(session_id=info.id, action_id=f"a{worker}", kind="note", data={"n": n}))
            with guard:
                returned.append(stored)

    threads = [threading.Thread(target=write, args=(journal if w % 2 else second_writer, w)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    entries = journal.entries(info.id)
    assert [e.seq for e in entries] == list(range(1, 21))
    assert sorted(e.seq for e in returned) == list(range(1, 21))
    by_seq = {e.seq: e for e in returned}
    assert all(by_seq[e.seq] == e for e in entries)
    for worker in range(4):
        mine = [e.data["n"] for e in entries if e.action_id == f"a{worker}"]
        assert mine == [0, 1, 2, 3, 4], "one writer's entries keep their order"


def test_append_many_takes_the_next_seqs_in_order(journal: Journal, plan) -> None:
    info = journal.create_session(plan)
    journal.append(JournalEntry(session_id=info.id, action_id="", kind="note", data={"n": 0}))
    stored = journal.append_many([JournalEntry(session_id=info.id, action_id="", kind="note", data={"n": n}) for n in (1, 2, 3)])
    assert [(e.seq, e.data["n"]) for e in stored] == [(2, 1), (3, 2), (4, 3)]
    assert [e.data["n"] for e in journal.entries(info.id)] == [0, 1, 2, 3]
    assert journal.append(JournalEntry(session_id=info.id, action_id="", kind="note")).seq == 5


def test_entries_after_a_seq_are_only_the_later_ones_in_order(journal: Journal, plan, plan_for) -> None:
    info = journal.create_session(plan)
    other = journal.create_session(plan_for("vpc-0other"))
    journal.append_many([JournalEntry(session_id=info.id, action_id="", kind="note", data={"n": n}) for n in range(1, 6)])
    journal.append(JournalEntry(session_id=other.id, action_id="", kind="note", data={"n": 99}))
    assert [e.seq for e in journal.entries(info.id, after=2)] == [3, 4, 5]
    assert [e.data["n"] for e in journal.entries(info.id, after=2)] == [3, 4, 5]
    assert journal.entries(info.id, after=5) == []
    assert [e.seq for e in journal.entries(info.id, after=0)] == [1, 2, 3, 4, 5]
    assert [e.data["n"] for e in journal.entries(other.id, after=0)] == [99]

def test_entries_keep_every_field(journal: Journal, plan) -> None:
    info = journal.create_session(plan)
    intent = JournalEntry(
        session_id=info.id,
        action_id="egress-gateway:create:vpc-0abc",
        kind="intent",
        params={"VpcId": "vpc-0abc", "ClientToken": "Ab3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7s"},
    )
    failure = JournalEntry(
        session_id=info.id, action_id=intent.action_id, phase="rollback", kind="failure", error_code="DependencyViolation", error_message="in use"
    )
    assert journal.append(intent).seq == 1
    assert journal.append(failure).seq == 2
    assert journal.entries(info.id) == [intent.model_copy(update={"seq": 1}), failure.model_copy(update={"seq": 2})]


def test_a_credential_in_an_entry_is_refused_and_not_written(journal: Journal, plan) -> None:
    info = journal.create_session(plan)
    leaky = JournalEntry(session_id=info.id, action_id="", kind="note", data={"env": {"key": "AKIAIOSFODNN7EXAMPLE"}})
    with pytest.raises(SecretInJournal, match=r"access key id at data\.env\.key") as refused:
        journal.append(leaky)
    assert "AKIAIOSFODNN7EXAMPLE" not in str(refused.value)
    assert journal.entries(info.id) == []


def test_a_credential_in_a_snapshot_is_refused(journal: Journal, plan) -> None:
    with pytest.raises(SecretInJournal, match="SessionToken"):
        journal.create_session(plan, {"creds": {"SessionToken": "x" * 50}})
    assert journal.sessions() == []


# --- the session lock ------------------------------------------------------------------


def test_a_held_lock_refuses_another_session_naming_the_holder(journal: Journal, second_writer: Journal) -> None:
    alice = lock_owner("v6-20261123-aaaaaa").model_copy(update={"user": "alice", "host": "box", "pid": 42})
    journal.acquire_lock("vpc-1", alice)
    with pytest.raises(SessionLocked) as refused:
        second_writer.acquire_lock("vpc-1", lock_owner("v6-20261123-bbbbbb"))
    message = str(refused.value)
    assert "held by alice on box (pid 42, since" in message
    assert "`v6wizard resume v6-20261123-aaaaaa --force-unlock`" in message
    assert journal.lock_holder("vpc-1") == alice
    second_writer.acquire_lock("vpc-2", lock_owner("v6-20261123-bbbbbb"))  # other VPCs are free


def test_same_session_reacquires_and_renew_extends_the_lease(journal: Journal, second_writer: Journal) -> None:
    first = lock_owner("v6-20261123-aaaaaa", lease_seconds=30)
    journal.acquire_lock("vpc-1", first)
    second_writer.acquire_lock("vpc-1", lock_owner("v6-20261123-aaaaaa", lease_seconds=30))
    later = lock_owner("v6-20261123-aaaaaa", lease_seconds=600)
    journal.renew_lock("vpc-1", later)
    holder = journal.lock_holder("vpc-1")
    assert holder is not None
    assert holder.lease_until == later.lease_until
    assert holder.started_at <= later.started_at


def test_an_expired_lease_can_be_taken_over_and_then_the_old_run_cannot_renew(journal: Journal, second_writer: Journal) -> None:
    dead = lock_owner("v6-20261123-aaaaaa").model_copy(update={"lease_until": utcnow() - timedelta(seconds=1)})
    journal.acquire_lock("vpc-1", dead)
    assert journal.lock_holder("vpc-1") is None
    taker = lock_owner("v6-20261123-bbbbbb")
    second_writer.acquire_lock("vpc-1", taker)
    assert journal.lock_holder("vpc-1") == taker
    with pytest.raises(SessionLocked, match="v6-20261123-bbbbbb"):
        journal.renew_lock("vpc-1", lock_owner("v6-20261123-aaaaaa"))


def test_release_frees_only_for_the_holder_and_force_unlock_frees_always(journal: Journal, second_writer: Journal) -> None:
    owner = lock_owner("v6-20261123-aaaaaa")
    journal.acquire_lock("vpc-1", owner)
    second_writer.release_lock("vpc-1", "v6-20261123-bbbbbb")
    assert journal.lock_holder("vpc-1") == owner
    journal.release_lock("vpc-1", owner.session_id)
    assert journal.lock_holder("vpc-1") is None
    journal.acquire_lock("vpc-1", owner)
    second_writer.force_unlock("vpc-1")
    assert journal.lock_holder("vpc-1") is None
    second_writer.acquire_lock("vpc-1", lock_owner("v6-20261123-bbbbbb"))


def test_only_one_of_many_racing_sessions_takes_the_lock(journal: Journal, second_writer: Journal) -> None:
    winners: list[str] = []
    refused: list[str] = []
    barrier = threading.Barrier(6, timeout=30)

    def race(n: int) -> None:
        handle = journal if n % 2 else second_writer
        barrier.wait()
        try:
            handle.acquire_lock("vpc-1", lock_owner(f"v6-20261123-00000{n}"))
            winners.append(str(n))
        except SessionLocked:
            refused.append(str(n))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(winners) == 1 and len(refused) == 5
    holder = journal.lock_holder("vpc-1")
    assert holder is not None and holder.session_id == f"v6-20261123-00000{winners[0]}"
