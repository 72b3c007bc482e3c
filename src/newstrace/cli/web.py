"""The `serve` command: the web UI and JSON API over the store (registered by `register`)."""

from __future__ import annotations

import ipaddress

import typer

from .common import err_console, open_store


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine (127.0.0.0/8, ::1 or localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback unless a token is set)."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        token: str = typer.Option(None, "--token", envvar="NEWSTRACE_TOKEN",
                                  help="Require this token on every request (Bearer header, or ?token= once)."),
    ) -> None:
        """Open the corpus in a browser: search, articles, story trees, comparisons, sites, the copying network.

        Read-only. Listening on anything but loopback needs a token, since the corpus may be private.
        """
        if not is_loopback(host) and not token:
            err_console.print(f"[red]error:[/red] refusing to listen on {host} without a token: anyone who can reach "
                              "this machine could read the corpus. Set --token (or NEWSTRACE_TOKEN), or use "
                              "--host 127.0.0.1.")
            raise typer.Exit(2)
        import uvicorn

        from ..web import create_app

        store = open_store()
        web_app = create_app(store, token=token, read_only=True, warm=True)
        shown = f"[{host}]" if ":" in host else host
        err_console.print(f"newstrace serving {store.url} at http://{shown}:{port}/"
                          + (" (token required)" if token else ""))
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
