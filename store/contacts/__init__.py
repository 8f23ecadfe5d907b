"""The do-not-contact list: normalization, unsubscribe tokens, repository and service."""
