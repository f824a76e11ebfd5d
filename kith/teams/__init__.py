"""Integrated community teams and their members: who they are, where they work (postcode
districts or an area), which team an ask from a place goes to, and the door to the team
workspace (`access.member_required`). Below asks and care, above people's accounts."""
