#!/usr/bin/env python3
"""Validate topology YAML files against the mktopo JSON Schema.

Usage: python3 scripts/schema_check.py SCHEMA FILE...

Checks SCHEMA itself (Draft 2020-12 meta-schema), then loads each FILE with
PyYAML's safe_load and validates it with jsonschema's Draft202012Validator and a
FormatChecker (so `"format": "ipv6"` is enforced). Prints one line per file:

    valid FILE
    invalid FILE: <first error message> at <JSON path>

Exit status: 0 whenever the check ran (whatever the verdicts), 2 on a usage error,
a missing module, or an unreadable / invalid schema.

`pattern` is evaluated with ECMA-262 semantics for `$` (end of input only):
Python's `re` lets `$` match before a final newline, which would accept e.g. a
node name "node1\n" that editors and mktopo reject.

Note: PyYAML reads YAML 1.1 (bare yes/no/on/off are booleans, duplicate keys are
accepted silently), while mktopo's loader reads YAML 1.2 strictly; the test
fixtures avoid those differences.
"""

import json
import re
import sys

USAGE = "usage: python3 scripts/schema_check.py SCHEMA FILE..."


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        import yaml
        from jsonschema import Draft202012Validator, FormatChecker, validators
        from jsonschema.exceptions import SchemaError, ValidationError, best_match
    except ImportError as exc:
        print(f"schema_check: missing module: {exc}", file=sys.stderr)
        return 2

    schema_path, files = argv[1], argv[2:]
    try:
        with open(schema_path, encoding="utf-8") as fh:
            schema = json.load(fh)
    except (OSError, ValueError) as exc:
        print(f"schema_check: cannot read schema {schema_path}: {exc}", file=sys.stderr)
        return 2
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        print(f"schema_check: {schema_path} is not a valid 2020-12 schema: "
              f"{exc.message} at {exc.json_path}", file=sys.stderr)
        return 2

    def ecma_pattern(validator, pattern, instance, schema):
        # An unescaped `$` means end of input in ECMA-262 (no multiline flag);
        # Python's equivalent is `\Z`.
        python_pattern = re.sub(r"(?<!\\)\$", r"\\Z", pattern)
        if validator.is_type(instance, "string") and not re.search(python_pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    Validator = validators.extend(Draft202012Validator, {"pattern": ecma_pattern})
    validator = Validator(schema, format_checker=FormatChecker())

    for path in files:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                document = yaml.safe_load(fh)
        except OSError as exc:
            print(f"invalid {path}: cannot read: {exc.strerror or exc}")
            continue
        except yaml.YAMLError as exc:
            reason = " ".join(str(exc).split())
            print(f"invalid {path}: YAML error: {reason}")
            continue
        error = best_match(validator.iter_errors(document))
        if error is None:
            print(f"valid {path}")
        else:
            print(f"invalid {path}: {error.message} at {error.json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
