"""Case-management API (version 1): roles, access rules, errors and the kernel's endpoints."""
