"""Always-on corrections where moto 5.2.5 writes an answer differently from AWS.

- EC2 writes a subnet IPv6 association state as the text `{'State': 'associated'}`
  (the repr of a dict) where AWS writes `associated`: rewritten in every EC2 answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from v6wizard.emulator.wsgi import Answer, Call, Layer

_QUOTE = r"(?:'|&#x27;|&#39;|&apos;|&quot;|\")"
_DICT_STATE = re.compile(rf"<state>\{{{_QUOTE}State{_QUOTE}:\s*{_QUOTE}(\w+){_QUOTE}\}}</state>")


def fix_dict_states(xml: str) -> str:
    """`<state>{'State': 'associated'}</state>` -> `<state>associated</state>`, for any state."""
    return _DICT_STATE.sub(r"<state>\1</state>", xml)


class SubnetStateCorrection(Layer):
    """Rewrites moto's dict-repr association states in EC2 answers."""

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.protocol != "ec2":
            return None
        answer = downstream()
        if b"State" not in answer.body:
            return answer
        return answer.with_body(fix_dict_states(answer.text()))
