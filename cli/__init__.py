"""The `influency` command line."""
