"""The WSGI layers in front of moto, outermost first.

1. `ControlLayer`: request log, added latency, injected faults, and reset of every
   layer's state when moto's reset endpoint is called (`emulator.faults`,
   `emulator.requests`).
2. Corrections, always on: CloudWatch percentiles, GetMetricData pages, Logs Insights
   stats queries, subnet association states,
   the default network ACL's IPv6 rules,
   Lambda PublishVersion returning the existing version when nothing changed,
   VPC endpoint IP settings (`emulator.vpc_endpoint_options`), function RevisionIds
   (`emulator.function_revisions`).
3. Strictness (strict=True): the AWS rules of DESIGN.md that moto does not enforce,
   with the timing windows and (when on) the token buckets of `emulator.timing`.
"""

from __future__ import annotations

from v6wizard.emulator.cloudwatch_metric_data import CloudWatchMetricData
from v6wizard.emulator.cloudwatch_p99 import CloudWatchPercentiles
from v6wizard.emulator.logs_insights import LogsInsights
from v6wizard.emulator.corrections import DefaultAclIpv6Correction, SubnetStateCorrection
from v6wizard.emulator.faults import ControlLayer
from v6wizard.emulator.server import Middleware
from v6wizard.emulator.strict_ec2 import StrictEc2
from v6wizard.emulator.function_revisions import FunctionRevisions
from v6wizard.emulator.strict_lambda import LambdaLayer
from v6wizard.emulator.throttling import RequestBuckets
from v6wizard.emulator.timing import Timing
from v6wizard.emulator.vpc_endpoint_options import VpcEndpointOptions
from v6wizard.emulator.wsgi import Layer


def default_layers(strict: bool = True) -> list[Middleware]:
    """The middleware stack for `Emulator`, outermost first."""
    timing = Timing.from_env()
    started_with = timing.snapshot()
    buckets = RequestBuckets(timing)
    inner: list[Layer] = [
        buckets, CloudWatchPercentiles(), SubnetStateCorrection(), DefaultAclIpv6Correction(), LambdaLayer(strict=strict, timing=timing),
    ]
    # GetMetricData's pages and query limit, and Logs Insights stats queries (the savings reads).
    inner += [CloudWatchMetricData(), LogsInsights()]
    inner += [VpcEndpointOptions(), FunctionRevisions()]
    if strict:
        inner.append(StrictEc2(timing))
    control = ControlLayer(resets=[lambda: timing.restore(started_with), *(layer.reset for layer in inner)])
    control.timing = timing
    control.buckets = buckets
    return [control, *inner]
