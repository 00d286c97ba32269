"""AWS access: sessions and clients, discovery (read-only), and the executor (the only mutating module)."""
