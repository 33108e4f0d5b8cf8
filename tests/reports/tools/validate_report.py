"""Validates vnetdiag JSON reports against reports/schema/report.schema.json with the real jsonschema
validator (python3-jsonschema). Usage: validate_report.py SCHEMA REPORT...  Prints one line per error;
exit 0 when every report is valid, 1 when one is not, 2 when jsonschema is missing."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        for error in sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path)):
            bad += 1
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}: /{where}: {error.message}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
