"""One module per subcommand; each offers ``run(args) -> int``."""
