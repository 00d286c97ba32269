"""AwsTarget: where to talk to AWS. Imports no boto3, so the wizard can name its target before its first frame."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AwsTarget:
    """Where to talk to AWS: profile, region and an optional endpoint (the emulator)."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None

    def describe(self) -> str:
        parts = [f"region {self.region or '?'}"]
        if self.profile:
            parts.insert(0, f"profile {self.profile}")
        if self.endpoint_url:
            parts.append(f"endpoint {self.endpoint_url}")
        return ", ".join(parts)
