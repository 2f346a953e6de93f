"""Turning a Summary into text for people (rich) or documents for machines."""
