"""The HTTP API (`briefing serve`): a front end beside the CLI and the app."""
