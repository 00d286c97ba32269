"""The client-side request budget: token buckets that block until a token is due, per quota class."""

from __future__ import annotations

import threading
import time

import pytest

from v6wizard.aws.rate_limit import AWS_QUOTAS, HEADROOM, RequestBudget, TokenBucket, bucket_class, parse_rates
from v6wizard.errors import InvalidOption


def test_a_bucket_lets_its_burst_through_then_paces_at_its_rate() -> None:
    bucket = TokenBucket(rate=20, burst=5)
    started = time.monotonic()
    for _ in range(5):
        bucket.acquire()
    burst = time.monotonic() - started
    for _ in range(10):
        bucket.acquire()
    paced = time.monotonic() - started
    assert burst < 0.1, "a full bucket answers at once"
    assert paced >= 10 / 20 - 0.02, f"10 tokens beyond the burst at 20/s took {paced:.2f}s"


def test_waiting_writes_go_before_waiting_reads() -> None:
    bucket = TokenBucket(rate=10, burst=1)
    bucket.acquire()  # empty: everyone below waits
    order: list[str] = []
    lock = threading.Lock()

    def take(name: str, urgent: bool) -> None:
        bucket.acquire(urgent=urgent)
        with lock:
            order.append(name)

    reads = [threading.Thread(target=take, args=(f"read-{i}", False)) for i in range(3)]
    for thread in reads:
        thread.start()
    time.sleep(0.02)  # the reads queue first
    write = threading.Thread(target=take, args=("write", True))
    write.start()
    for thread in [*reads, write]:
        thread.join(timeout=5)
    assert order[0] == "write", order
    assert sorted(order[1:]) == ["read-0", "read-1", "read-2"]


def test_operations_map_to_the_quota_aws_counts_them_against() -> None:
    assert bucket_class("lambda", "UpdateFunctionConfiguration") == "lambda"
    assert bucket_class("lambda", "ListVersionsByFunction") == "lambda"
    assert bucket_class("lambda", "GetFunction") == "lambda-get-function"
    assert bucket_class("ec2", "DescribeSubnets") == "ec2-read"
    assert bucket_class("ec2", "AssociateSubnetCidrBlock") == "ec2-write"
    assert bucket_class("sts", "GetCallerIdentity") is None
    budget = RequestBudget()
    # EC2 throttles each API on its own bucket; Lambda's control plane is one bucket.
    assert budget.bucket("ec2", "CreateRoute") is not budget.bucket("ec2", "DeleteRoute")
    assert budget.bucket("lambda", "PublishVersion") is budget.bucket("lambda", "UpdateFunctionConfiguration")
    assert budget.bucket("lambda", "GetFunction") is not budget.bucket("lambda", "PublishVersion")


def test_the_defaults_stay_below_aws_and_a_raised_quota_is_honoured() -> None:
    default = RequestBudget()
    for name, quota in AWS_QUOTAS.items():
        assert default.quota(name).rate < quota.rate and default.quota(name).burst == quota.burst
    raised = RequestBudget(parse_rates("lambda=150, ec2-write=10"))
    assert raised.quota("lambda").rate == pytest.approx(150 * HEADROOM)
    assert raised.quota("ec2-write").rate == pytest.approx(10 * HEADROOM)
    assert raised.quota("ec2-read") == default.quota("ec2-read")
    bucket = raised.bucket("lambda", "UpdateFunctionConfiguration")
    assert bucket is not None
    started = time.monotonic()
    for _ in range(60):
        raised.wait("lambda", "UpdateFunctionConfiguration")
    assert time.monotonic() - started < 0.5, "60 requests fit a raised budget's burst"


@pytest.mark.parametrize(
    ("text", "says"),
    [("lambdas=30", "no API rate class 'lambdas'"), ("lambda=0", "above 0, not '0'"), ("ec2-read=fast", "not 'fast'")],
)
def test_a_bad_rate_is_one_sentence(text: str, says: str) -> None:
    with pytest.raises(InvalidOption, match=says):
        parse_rates(text)
