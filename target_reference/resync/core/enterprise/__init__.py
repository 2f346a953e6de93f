"""Enterprise features: the manager that starts and stops the compliance modules."""
