"""The wizard's screens, one per file: start, connect, choose, plan, step, cutover, summary, and dialogs."""
