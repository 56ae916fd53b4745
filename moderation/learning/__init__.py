"""Learning from moderators: decisions as labels, per-site calibration, shadow runs, site models.

Nothing here changes how a comment is routed until an admin applies or promotes a change;
every such change is a `PolicyChange` row that can be rolled back.
"""
