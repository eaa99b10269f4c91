"""Test support code: fixtures, sample cases and helpers shared by the test folders."""
