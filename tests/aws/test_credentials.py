"""Assume-role credentials are cached in the OS keyring (never in files), with MFA prompts and a headless fallback."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from v6wizard.aws.credentials import SERVICE, KeyringCredentialCache
from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.emulator import Emulator

ROLE = "arn:aws:iam::123456789012:role/migrator"


@pytest.fixture
def role_profile(emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An AWS config with a `base` profile holding keys and `migrator` role profiles (one with MFA)."""
    config = tmp_path / "aws-config"
    config.write_text(
        "[profile base]\n"
        "aws_access_key_id = AKIABASEBASEBASE0000\n"
        "aws_secret_access_key = base-secret-never-written\n"
        "[profile migrator]\n"
        f"role_arn = {ROLE}\n"
        "source_profile = base\n"
        "[profile migrator-mfa]\n"
        f"role_arn = {ROLE}\n"
        "source_profile = base\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")


def _assume_role_calls(emulator: Emulator) -> int:
    return emulator.requests.count("sts", "AssumeRole")


def test_assumed_role_credentials_go_to_the_keyring_and_are_reused(emulator: Emulator, role_profile: None, isolated_env) -> None:
    target = AwsTarget(profile="migrator", region="us-east-1", endpoint_url=emulator.endpoint)
    first = AwsAccess(target).identity()
    assert ":assumed-role/migrator/" in first.arn
    assert _assume_role_calls(emulator) == 1

    stored = [(service, key, value) for (service, key), value in isolated_env.secrets.items()]
    assert [service for service, _, _ in stored] == [SERVICE]
    assert "Credentials" in json.loads(stored[0][2])

    # A second run (a new AwsAccess, as a new process would make) reads the keyring, not STS.
    AwsAccess(target).identity()
    assert _assume_role_calls(emulator) == 1
    # Nothing under HOME holds the temporary secret (botocore's CLI cache would be ~/.aws/cli/cache).
    secret = json.loads(stored[0][2])["Credentials"]["SecretAccessKey"]
    for path in Path.home().rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="ignore"), path


def test_mfa_profiles_ask_the_prompter_once(emulator: Emulator, role_profile: None) -> None:
    prompts: list[str] = []

    def prompter(text: str) -> str:
        prompts.append(text)
        return "123456"

    target = AwsTarget(profile="migrator-mfa", region="us-east-1", endpoint_url=emulator.endpoint)
    assert ":assumed-role/migrator/" in AwsAccess(target, mfa_prompter=prompter).identity().arn
    assert len(prompts) == 1 and "mfa" in prompts[0].lower()
    AwsAccess(target, mfa_prompter=prompter).identity()
    assert len(prompts) == 1, "the cached role session should not ask for a new MFA code"


def test_without_a_keyring_backend_it_warns_once_and_keeps_credentials_in_memory() -> None:
    keyring.set_keyring(fail.Keyring())
    warnings: list[str] = []
    cache = KeyringCredentialCache(warn=warnings.append)
    assert not cache.uses_keyring
    cache["role-session"] = {"Credentials": {"AccessKeyId": "ASIAEXAMPLE"}}
    assert cache["role-session"]["Credentials"]["AccessKeyId"] == "ASIAEXAMPLE"
    assert "other" not in cache
    cache["second"] = {}
    assert len(warnings) == 1 and "keyring" in warnings[0].lower()
