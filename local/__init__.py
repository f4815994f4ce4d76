"""Development tools (not deployed): Events API v2 emulator, local SSM, Lambda runner, demo."""
