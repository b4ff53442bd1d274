"""OnePlan: one graph of Thai development plans, from the National Strategy down to village projects."""
