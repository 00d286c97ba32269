"""Modal dialogs, one per file; each is a typed `ModalScreen[T]` that returns through `dismiss`."""

from v6wizard.tui.screens.dialogs.confirm import ConfirmDialog
from v6wizard.tui.screens.dialogs.error import ErrorDialog
from v6wizard.tui.screens.dialogs.mfa import MfaDialog
from v6wizard.tui.screens.dialogs.review import ReviewDialog
from v6wizard.tui.screens.dialogs.typed_confirm import TypedConfirmDialog

__all__ = ["ConfirmDialog", "ErrorDialog", "MfaDialog", "ReviewDialog", "TypedConfirmDialog"]
