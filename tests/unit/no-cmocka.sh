#!/bin/sh
# Stands in for the unit tests when configure found no cmocka: a missing
# test framework must fail the run, never skip it quietly.
echo "1..1"
echo "not ok 1 - unit tests need cmocka: install libcmocka-dev and re-run configure"
