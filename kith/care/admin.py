"""Nothing of care's own is edited in the admin: teams and members are in `kith.teams.admin`."""
