"""What the data means: look-ups, money over time, impact, health, findings and the checks."""
