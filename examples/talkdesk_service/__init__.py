"""An example integration: Talkdesk's orders endpoint served from a Dexero store.

- :mod:`talkdesk_service.service`: the Talkdesk-facing web service;
- :mod:`talkdesk_service.dexero_standin`: a local stand-in for Dexero's ``GET orders``.

See ``README.md`` beside this file for how to run them.
"""
