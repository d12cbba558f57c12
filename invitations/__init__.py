"""Invitations: an editor invites a writer by e-mail; the writer chooses their own password."""
