"""Manage Templates and Insert Template (R23): the seller's pages of templates and tags, the
panel of the message boxes, and template analytics (`analytics`: it reads the messages sent
with each template, so it lives in messaging, above templates_app)."""
