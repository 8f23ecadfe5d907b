"""E-signature providers behind `ESignatureProvider`; the built-in click-to-sign is the default."""

from tools.esign.click_to_sign import ClickToSignProvider
from tools.esign.provider import CompletionRequest, Envelope, EnvelopeRequest, ESignatureProvider, SignatureRecord

__all__ = ["ClickToSignProvider", "CompletionRequest", "ESignatureProvider", "Envelope", "EnvelopeRequest",
           "SignatureRecord"]
