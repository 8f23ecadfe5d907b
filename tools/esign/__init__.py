"""E-signature providers behind `ESignatureProvider`; the built-in click-to-sign is the default."""

from store.signing.provider import CompletionRequest, Envelope, EnvelopeRequest, ESignatureProvider, SignatureRecord
from tools.esign.click_to_sign import ClickToSignProvider

__all__ = ["ClickToSignProvider", "CompletionRequest", "ESignatureProvider", "Envelope", "EnvelopeRequest",
           "SignatureRecord"]
