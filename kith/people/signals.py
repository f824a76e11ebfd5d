"""What accounts tell the apps above them, which they cannot import.

`contact_proved(person, kind, contact)`: the person has just proved an email address
(kind "email") or UK mobile number ("phone", as +447...) by a link or code, at sign-in or from
/my/contact/. Sent inside the transaction that records it, so a receiver's writes commit or
roll back with it. The asks app claims the asks made with that contact
(`kith.asks.receivers`). Only a proved contact is ever sent.
"""

from django.dispatch import Signal

contact_proved = Signal()
