"""What the asks app tells the apps above it, which it cannot import. Both are sent inside
the transaction that saves the ask, so a receiver's writes commit or roll back with it.

- `ask_saved(ask, person)`: an ask has just been screened, routed to a team and saved, from the
  web journey, the API or anywhere else; `person` is who was signed in to ask, or None. The team side receives it (`kith.care.receiving`).
- `asks_claimed(person, ask_ids)`: asks made before signing in are now the person's, claimed
  with a contact they have just proved.
"""

from django.dispatch import Signal

ask_saved = Signal()
asks_claimed = Signal()
