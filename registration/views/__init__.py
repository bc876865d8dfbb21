"""Thin views: parse, authorize (each declares its rule), call a service or a query, render."""
